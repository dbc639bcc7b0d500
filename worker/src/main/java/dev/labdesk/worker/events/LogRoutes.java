package dev.labdesk.worker.events;



/** PLACEHOLDER: replaced by its implementation. */
public final class LogRoutes {
    public LogRoutes(dev.labdesk.worker.session.SessionService sessions, EventLog events, com.fasterxml.jackson.databind.ObjectMapper mapper, java.time.Clock clock) {}

    public void register(io.javalin.config.RoutesConfig routes) {}
}
