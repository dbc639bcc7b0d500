package dev.labdesk.worker;

import dev.labdesk.worker.WorkerConfig.AgentKind;
import dev.labdesk.worker.WorkerConfig.ConfigException;
import dev.labdesk.worker.WorkerConfig.Scale;
import dev.labdesk.worker.WorkerConfig.VolumesKind;
import dev.labdesk.worker.auth.AuthSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads a {@link WorkerConfig} from the environment; a CLI flag {@code --port=9000} overrides
 * {@code LABDESK_PORT}. An invalid value stops the start with one clear line
 * ({@link ConfigException}); a secret's value is never part of that line.
 */
public final class WorkerEnv {
    private WorkerEnv() {}

    public static WorkerConfig read(Map<String, String> env, List<String> args) {
        var values = EnvValues.of(env, args);
        var host = values.text("LABDESK_HOST").orElse("127.0.0.1");
        var port = values.port("LABDESK_PORT").orElse(8000);
        var dataDir = Path.of(values.text("LABDESK_DATA_DIR").orElse("labdesk-data")).toAbsolutePath().normalize();
        var publicUrl = values.httpUrl("LABDESK_PUBLIC_URL");
        var volumes = values.choice("LABDESK_VOLUMES", VolumesKind.class).orElse(VolumesKind.LOCAL);
        var agent = values.choice("LABDESK_AGENT", AgentKind.class).orElse(AgentKind.PROCESS);
        var timeout = values.duration("LABDESK_AGENT_TIMEOUT").orElse(Duration.ofHours(1));
        var apiKey = values.secret("OPENAI_API_KEY");
        var baseUrl = values.httpUrl("OPENAI_BASE_URL");
        var model = values.text("OPENAI_MODEL").orElse(WorkerConfig.DEFAULT_MODEL);
        var redis = values.redisUrl("REDIS_URL");
        var logfire = values.secret("LOGFIRE_TOKEN");
        var scale = scale(values);
        var auth = AuthEnv.read(values, host, publicUrl);
        if (auth.mode() == AuthSettings.Mode.TOKEN && (volumes == VolumesKind.MODAL || agent == AgentKind.MODAL))
            throw new ConfigException("on Modal, set LABDESK_API_KEYS (user_id:key entries, e.g. from the Modal secret labdesk-keys):"
                    + " each container would otherwise make a key of its own");
        return new WorkerConfig(host, port, dataDir, publicUrl, volumes, agent, timeout, apiKey, baseUrl, model, redis, logfire,
                scale, auth, limits(values));
    }

    private static Scale scale(EnvValues values) {
        var d = Scale.defaults();
        var headers = new HashMap<String, String>(values.otlpHeaders("OTEL_EXPORTER_OTLP_HEADERS"));
        headers.putAll(values.otlpHeaders("OTEL_EXPORTER_OTLP_TRACES_HEADERS"));
        return new Scale(
                values.duration("LABDESK_RETENTION").orElse(d.retention()),
                values.count("LABDESK_EVENTS_PER_SESSION", 10).orElse(d.eventsPerSession()),
                values.duration("LABDESK_REDIS_TIMEOUT").orElse(d.redisTimeout()),
                values.words("LABDESK_MODAL_BRIDGE").orElse(d.modalBridge()),
                values.words("LABDESK_MODAL_AGENT_JAVA").orElse(d.modalAgentJava()),
                values.httpUrl("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").or(() -> values.otlpBase("OTEL_EXPORTER_OTLP_ENDPOINT")),
                Map.copyOf(headers));
    }

    private static Limits limits(EnvValues values) {
        var d = Limits.defaults();
        return new Limits(
                values.count("LABDESK_MAX_AGENTS", 1).orElse(d.maxAgents()),
                values.count("LABDESK_MAX_QUEUED_PER_USER", 1).orElse(d.maxQueuedPerPrincipal()),
                values.bytes("LABDESK_QUOTA_BYTES").map(OptionalLong::of).orElse(d.quotaBytes()),
                values.bytes("LABDESK_MIN_FREE_BYTES").orElse(d.minFreeBytes()),
                d.maxValidationErrors(),
                values.count("LABDESK_PLAN_MAX_FILES", 1).orElse(d.maxPlanFiles()),
                values.bytes("LABDESK_PLAN_MAX_BYTES").orElse(d.maxPlanBytes()),
                values.count("LABDESK_PLANS_PER_USER", 1).orElse(d.maxPendingPlansPerPrincipal()),
                values.count("LABDESK_UPLOADS_PER_USER", 1).orElse(d.maxUploadsPerPrincipal()),
                values.duration("LABDESK_UPLOAD_IDLE_TIMEOUT").orElse(d.uploadIdleTimeout()),
                d.uploadMinBytesPerSecond(),
                values.bytes("LABDESK_CHAT_BYTES_PER_USER").orElse(d.chatBytesPerPrincipal()),
                values.bytes("LABDESK_CHAT_BYTES").orElse(d.chatBytesTotal()),
                values.count("LABDESK_SSE_PER_SESSION", 1).orElse(d.sseSubscribersPerSession()),
                values.count("LABDESK_SSE_PER_USER", 1).orElse(d.sseSubscribersPerPrincipal()));
    }
}
