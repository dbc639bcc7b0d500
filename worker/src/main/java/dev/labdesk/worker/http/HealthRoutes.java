package dev.labdesk.worker.http;

import dev.labdesk.model.Health;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.AgentLauncher;
import dev.labdesk.worker.auth.Principal;
import dev.labdesk.worker.volume.VolumeStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.function.Supplier;

/**
 * {@code GET /health}: one entry per dependency, 503 as soon as a configured one is down.
 * Details name implementations and hosts, never keys, tokens or passwords.
 */
public final class HealthRoutes {
    private final WorkerConfig config;
    private final VolumeStore volumes;
    private final AgentLauncher launcher;
    private final String version;
    private final Supplier<Health.Dependency> redis;
    private final Supplier<Health.Dependency> telemetry;

    /**
     * With the live checks of Redis (a PING) and of the trace exporter. No mapper: the check needs
     * none, and the worker builds it before its mapper so that {@link FrontDoor} can answer early.
     */
    public HealthRoutes(WorkerConfig config, VolumeStore volumes, AgentLauncher launcher,
                        Supplier<Health.Dependency> redis, Supplier<Health.Dependency> telemetry) {
        this.config = config;
        this.volumes = volumes;
        this.launcher = launcher;
        this.redis = redis;
        this.telemetry = telemetry;
        var v = HealthRoutes.class.getPackage().getImplementationVersion();
        this.version = v == null ? "dev" : v;
    }

    public void register(RoutesConfig routes) {
        routes.get("/health", this::health);
    }

    /** A caller who proved who they are sees the dependencies; anyone else only the status (no hosts, paths or modes). */
    private void health(Context ctx) {
        var health = check();
        var shown = Principal.find(ctx).isPresent() ? health : statusOnly(health);
        ctx.status(health.status().equals("healthy") ? 200 : 503).header("Cache-Control", "no-store").json(shown);
    }

    public static Health statusOnly(Health health) {
        return new Health(health.status(), null, null);
    }

    public Health check() {
        var deps = new LinkedHashMap<String, Health.Dependency>();
        deps.put("volumes", volumes.health());
        deps.put("agent", new Health.Dependency("ok", launcher.kind()));
        deps.put("llm", config.llmEnabled()
                ? new Health.Dependency("ok", "model " + config.openaiModel() + " at "
                        + config.openaiBaseUrl().map(u -> u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "")).orElse("OpenAI"))
                : new Health.Dependency("disabled", "offline mode: no OPENAI_API_KEY"));
        deps.put("redis", redis.get());
        deps.put("telemetry", telemetry.get());
        boolean down = deps.values().stream().anyMatch(d -> d.status().equals("down"));
        return new Health(down ? "unhealthy" : "healthy", version, deps);
    }
}
