package dev.labdesk.worker.http;



/** PLACEHOLDER: replaced by its implementation. */
public final class PageRoutes {
    public PageRoutes() {}

    public void register(io.javalin.config.RoutesConfig routes) {}
}
