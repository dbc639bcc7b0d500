package dev.labdesk.worker.upload;



/** PLACEHOLDER: replaced by its implementation. */
public final class UploadRoutes {
    public UploadRoutes(dev.labdesk.worker.volume.VolumeStore volumes, dev.labdesk.worker.session.SessionService sessions, com.fasterxml.jackson.databind.ObjectMapper mapper, java.time.Clock clock) {}

    public void register(io.javalin.config.RoutesConfig routes) {}
}
