package dev.labdesk.worker.events;



/** PLACEHOLDER: replaced by its implementation. */
public final class EventRoutes {
    public EventRoutes(dev.labdesk.worker.session.SessionService sessions, EventLog events, com.fasterxml.jackson.databind.ObjectMapper mapper) {}

    public void register(io.javalin.config.RoutesConfig routes) {}
}
