package dev.labdesk.worker.http;



/** PLACEHOLDER: replaced by its implementation. */
public final class HealthRoutes {
    public HealthRoutes(dev.labdesk.worker.WorkerConfig config, dev.labdesk.worker.volume.VolumeStore volumes, dev.labdesk.worker.agent.AgentLauncher launcher, com.fasterxml.jackson.databind.ObjectMapper mapper) {}

    public void register(io.javalin.config.RoutesConfig routes) {}
}
