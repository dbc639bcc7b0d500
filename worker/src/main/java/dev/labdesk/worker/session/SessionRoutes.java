package dev.labdesk.worker.session;



/** PLACEHOLDER: replaced by its implementation. */
public final class SessionRoutes {
    public SessionRoutes(SessionService sessions, dev.labdesk.worker.volume.VolumeStore volumes, dev.labdesk.worker.events.EventLog events, com.fasterxml.jackson.databind.ObjectMapper mapper) {}

    public void register(io.javalin.config.RoutesConfig routes) {}
}
