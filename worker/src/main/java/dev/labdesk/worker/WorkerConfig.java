package dev.labdesk.worker;

import dev.labdesk.worker.auth.AuthSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the worker is configured with. Read from the environment; a CLI flag
 * {@code --port=9000} overrides {@code LABDESK_PORT}. An invalid value stops the start with
 * one clear line ({@link ConfigException}); a secret's value is never part of that line.
 */
public record WorkerConfig(
        String host,
        int port,
        Path dataDir,
        Optional<URI> publicUrl,
        VolumesKind volumes,
        AgentKind agent,
        Duration agentTimeout,
        Optional<String> openaiApiKey,
        Optional<URI> openaiBaseUrl,
        String openaiModel,
        Optional<URI> redisUrl,
        Optional<String> logfireToken,
        Scale scale,
        AuthSettings auth,
        Limits limits) {

    /**
     * Settings of the scale-out and cloud parts: how long Redis keeps sessions, events and
     * conversations ({@code LABDESK_RETENTION}, default 7 days, refreshed by every append), how many
     * events one session keeps at most ({@code LABDESK_EVENTS_PER_SESSION}, default 200,000), how long
     * a Redis command may take before the request fails ({@code LABDESK_REDIS_TIMEOUT}, default 2 s),
     * the command that runs the Modal bridge ({@code LABDESK_MODAL_BRIDGE}) and the java command a
     * Sandbox starts the agent with ({@code LABDESK_MODAL_AGENT_JAVA}).
     */
    public record Scale(Duration retention, int eventsPerSession, Duration redisTimeout, List<String> modalBridge,
                        List<String> modalAgentJava, Optional<URI> otlpEndpoint, Map<String, String> otlpHeaders) {
        public static final List<String> DEFAULT_MODAL_BRIDGE = List.of("python3", "/opt/labdesk/modal/bridge.py");
        /** How a Sandbox starts the agent's JVM: the image's java, the jar the bridge adds to the image. */
        public static final List<String> DEFAULT_MODAL_AGENT_JAVA = List.of("java", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Djava.awt.headless=true", "-cp", "/opt/labdesk/labdesk-worker.jar");

        public static Scale defaults() {
            return new Scale(Duration.ofDays(7), 200_000, Duration.ofSeconds(2), DEFAULT_MODAL_BRIDGE, DEFAULT_MODAL_AGENT_JAVA,
                    Optional.empty(), Map.of());
        }

        public Scale withRetention(Duration ttl, int events) {
            return new Scale(ttl, events, redisTimeout, modalBridge, modalAgentJava, otlpEndpoint, otlpHeaders);
        }

        /** The bridge command and the agent's java command (tests: a stand-in SDK and this JVM's class path). */
        public Scale withModal(List<String> bridge, List<String> agentJava) {
            return new Scale(retention, eventsPerSession, redisTimeout, List.copyOf(bridge), List.copyOf(agentJava), otlpEndpoint, otlpHeaders);
        }

        /** Where traces go instead of Logfire's default endpoint (the full URL, .../v1/traces), with extra headers. */
        public Scale withOtlp(URI tracesEndpoint, Map<String, String> headers) {
            return new Scale(retention, eventsPerSession, redisTimeout, modalBridge, modalAgentJava, Optional.of(tracesEndpoint), Map.copyOf(headers));
        }

        @Override
        public String toString() {
            return "Scale[retention=" + retention + ", eventsPerSession=" + eventsPerSession + ", otlpEndpoint=" + otlpEndpoint
                    + ", otlpHeaders=" + otlpHeaders.keySet() + "]"; // header values may be credentials
        }
    }

    /** Every secret is shown as set or not, never by value; URLs lose their user info. */
    @Override
    public String toString() {
        return "WorkerConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", publicUrl=" + publicUrl.map(WorkerConfig::withoutUserInfo)
                + ", volumes=" + volumes + ", agent=" + agent + ", agentTimeout=" + agentTimeout
                + ", openaiApiKey=" + (openaiApiKey.isPresent() ? "(set)" : "(unset)") + ", openaiBaseUrl=" + openaiBaseUrl.map(WorkerConfig::withoutUserInfo)
                + ", openaiModel=" + openaiModel + ", redisUrl=" + redisUrl.map(WorkerConfig::withoutUserInfo)
                + ", logfireToken=" + (logfireToken.isPresent() ? "(set)" : "(unset)") + ", scale=" + scale + ", auth=" + auth + ", limits=" + limits + "]";
    }

    /** A URL as it may be shown: {@code redis://:secret@host} becomes {@code redis://host}. */
    public static String withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) return uri.toString();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    public enum VolumesKind { LOCAL, MODAL }

    public enum AgentKind { PROCESS, MODAL }

    public static final String DEFAULT_MODEL = "gpt-4o-mini";

    /** Thrown for a bad setting; its message is the one line the user sees. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    public boolean llmEnabled() {
        return openaiApiKey.isPresent();
    }

    /**
     * Defaults for an in-process worker on 127.0.0.1 and a free port, with credentials off (tests);
     * the desktop's embedded worker adds its launch key with {@link #withAuth}.
     */
    public static WorkerConfig local(Path dataDir) {
        return new WorkerConfig("127.0.0.1", 0, dataDir, Optional.empty(), VolumesKind.LOCAL, AgentKind.PROCESS,
                Duration.ofHours(1), Optional.empty(), Optional.empty(), DEFAULT_MODEL, Optional.empty(), Optional.empty(), Scale.defaults(),
                AuthSettings.none(), Limits.defaults());
    }

    public WorkerConfig withPort(int port) {
        return new WorkerConfig(host, port, dataDir, publicUrl, volumes, agent, agentTimeout, openaiApiKey,
                openaiBaseUrl, openaiModel, redisUrl, logfireToken, scale, auth, limits);
    }

    public WorkerConfig withAgentTimeout(Duration timeout) {
        return new WorkerConfig(host, port, dataDir, publicUrl, volumes, agent, timeout, openaiApiKey,
                openaiBaseUrl, openaiModel, redisUrl, logfireToken, scale, auth, limits);
    }

    public WorkerConfig withOpenAi(String apiKey, URI baseUrl, String model) {
        return new WorkerConfig(host, port, dataDir, publicUrl, volumes, agent, agentTimeout, Optional.ofNullable(apiKey),
                Optional.ofNullable(baseUrl), model == null ? DEFAULT_MODEL : model, redisUrl, logfireToken, scale, auth, limits);
    }

    public WorkerConfig withRedis(URI redis) {
        return new WorkerConfig(host, port, dataDir, publicUrl, volumes, agent, agentTimeout, openaiApiKey,
                openaiBaseUrl, openaiModel, Optional.ofNullable(redis), logfireToken, scale, auth, limits);
    }

    public WorkerConfig withAuth(AuthSettings auth) {
        return new WorkerConfig(host, port, dataDir, publicUrl, volumes, agent, agentTimeout, openaiApiKey,
                openaiBaseUrl, openaiModel, redisUrl, logfireToken, scale, auth, limits);
    }

    public WorkerConfig withLimits(Limits limits) {
        return new WorkerConfig(host, port, dataDir, publicUrl, volumes, agent, agentTimeout, openaiApiKey,
                openaiBaseUrl, openaiModel, redisUrl, logfireToken, scale, auth, limits);
    }

    public WorkerConfig withScale(Scale scale) {
        return new WorkerConfig(host, port, dataDir, publicUrl, volumes, agent, agentTimeout, openaiApiKey,
                openaiBaseUrl, openaiModel, redisUrl, logfireToken, scale, auth, limits);
    }

    public WorkerConfig withKinds(VolumesKind volumes, AgentKind agent) {
        return new WorkerConfig(host, port, dataDir, publicUrl, volumes, agent, agentTimeout, openaiApiKey,
                openaiBaseUrl, openaiModel, redisUrl, logfireToken, scale, auth, limits);
    }

    public WorkerConfig withLogfireToken(String token) {
        return new WorkerConfig(host, port, dataDir, publicUrl, volumes, agent, agentTimeout, openaiApiKey,
                openaiBaseUrl, openaiModel, redisUrl, Optional.ofNullable(token), scale, auth, limits);
    }

    public static WorkerConfig fromEnvironment(Map<String, String> env, List<String> args) {
        var values = new HashMap<>(env);
        for (var arg : args) {
            if (!arg.startsWith("--") || !arg.contains("="))
                throw new ConfigException("unknown argument '" + arg + "': use --name=value, e.g. --port=8000");
            var eq = arg.indexOf('=');
            var key = arg.substring(2, eq).toUpperCase(Locale.ROOT).replace('-', '_');
            values.put(key.startsWith("OPENAI_") || key.startsWith("OTEL_") || key.equals("REDIS_URL") || key.equals("LOGFIRE_TOKEN") ? key : "LABDESK_" + key,
                    arg.substring(eq + 1));
        }
        var host = text(values, "LABDESK_HOST").orElse("127.0.0.1");
        var port = text(values, "LABDESK_PORT").map(v -> parsePort(v)).orElse(8000);
        var dataDir = Path.of(text(values, "LABDESK_DATA_DIR").orElse("labdesk-data")).toAbsolutePath().normalize();
        var publicUrl = text(values, "LABDESK_PUBLIC_URL").map(v -> httpUrl("LABDESK_PUBLIC_URL", v, false));
        var volumes = text(values, "LABDESK_VOLUMES").map(v -> choice("LABDESK_VOLUMES", v, VolumesKind.class)).orElse(VolumesKind.LOCAL);
        var agent = text(values, "LABDESK_AGENT").map(v -> choice("LABDESK_AGENT", v, AgentKind.class)).orElse(AgentKind.PROCESS);
        var timeout = text(values, "LABDESK_AGENT_TIMEOUT").map(v -> duration("LABDESK_AGENT_TIMEOUT", v)).orElse(Duration.ofHours(1));
        var apiKey = text(values, "OPENAI_API_KEY").map(v -> secret("OPENAI_API_KEY", v));
        var baseUrl = text(values, "OPENAI_BASE_URL").map(v -> httpUrl("OPENAI_BASE_URL", v, false));
        var model = text(values, "OPENAI_MODEL").orElse(DEFAULT_MODEL);
        var redis = text(values, "REDIS_URL").map(WorkerConfig::redisUrl);
        var logfire = text(values, "LOGFIRE_TOKEN").map(v -> secret("LOGFIRE_TOKEN", v));
        var retention = text(values, "LABDESK_RETENTION").map(v -> duration("LABDESK_RETENTION", v)).orElse(Duration.ofDays(7));
        var perSession = text(values, "LABDESK_EVENTS_PER_SESSION").map(WorkerConfig::eventsPerSession).orElse(200_000);
        var redisTimeout = text(values, "LABDESK_REDIS_TIMEOUT").map(v -> duration("LABDESK_REDIS_TIMEOUT", v)).orElse(Duration.ofSeconds(2));
        var bridge = text(values, "LABDESK_MODAL_BRIDGE").map(v -> List.of(v.split("\\s+"))).orElse(Scale.DEFAULT_MODAL_BRIDGE);
        var agentJava = text(values, "LABDESK_MODAL_AGENT_JAVA").map(v -> List.of(v.split("\\s+"))).orElse(Scale.DEFAULT_MODAL_AGENT_JAVA);
        var otlp = text(values, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").map(v -> httpUrl("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", v, false))
                .or(() -> text(values, "OTEL_EXPORTER_OTLP_ENDPOINT").map(v -> httpUrl("OTEL_EXPORTER_OTLP_ENDPOINT", v.replaceAll("/+$", "") + "/v1/traces", false)));
        var headers = new HashMap<String, String>();
        text(values, "OTEL_EXPORTER_OTLP_HEADERS").ifPresent(v -> headers.putAll(otlpHeaders("OTEL_EXPORTER_OTLP_HEADERS", v)));
        text(values, "OTEL_EXPORTER_OTLP_TRACES_HEADERS").ifPresent(v -> headers.putAll(otlpHeaders("OTEL_EXPORTER_OTLP_TRACES_HEADERS", v)));
        var scale = new Scale(retention, perSession, redisTimeout, bridge, agentJava, otlp, Map.copyOf(headers));
        var auth = ConfigAuth.read(values, host, publicUrl);
        if (auth.mode() == AuthSettings.Mode.TOKEN && (volumes == VolumesKind.MODAL || agent == AgentKind.MODAL))
            throw new ConfigException("on Modal, set LABDESK_API_KEYS (user_id:key entries, e.g. from the Modal secret labdesk-keys):"
                    + " each container would otherwise make a key of its own");
        var limits = ConfigLimits.read(values);
        return new WorkerConfig(host, port, dataDir, publicUrl, volumes, agent, timeout, apiKey, baseUrl, model, redis, logfire, scale, auth, limits);
    }

    static Optional<String> text(Map<String, String> values, String key) {
        return Optional.ofNullable(values.get(key)).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static int parsePort(String v) {
        try {
            int port = Integer.parseInt(v);
            if (port >= 0 && port <= 65535) return port;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException("LABDESK_PORT must be a port number from 0 to 65535, got '" + v + "'");
    }

    private static URI httpUrl(String name, String v, boolean secretValue) {
        try {
            var uri = URI.create(v);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return uri;
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new ConfigException(name + " must be an http:// or https:// URL" + (secretValue || v.contains("@") ? " (value not shown: it may hold a password)" : ", got '" + v + "'"));
    }

    private static URI redisUrl(String v) {
        try {
            var uri = URI.create(v);
            if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) return uri;
        } catch (IllegalArgumentException ignored) {
            // reported below; the URL may hold a password, so it is not echoed
        }
        throw new ConfigException("REDIS_URL must look like redis://[:password@]host[:port][/db] (value not shown: it may hold a password)");
    }

    private static String secret(String name, String v) {
        if (v.chars().anyMatch(ch -> Character.isWhitespace(ch) || Character.isISOControl(ch)))
            throw new ConfigException(name + " is malformed: it contains spaces or control characters (value not shown)");
        return v;
    }

    private static <E extends Enum<E>> E choice(String name, String v, Class<E> type) {
        for (var c : type.getEnumConstants()) if (c.name().equalsIgnoreCase(v)) return c;
        var names = java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
        throw new ConfigException(name + " must be one of " + String.join(", ", names) + ", got '" + v + "'");
    }

    /** The OpenTelemetry format: {@code key=value,key2=value2}, values URL-encoded; values are never echoed. */
    private static Map<String, String> otlpHeaders(String name, String v) {
        var out = new HashMap<String, String>();
        for (var pair : v.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new ConfigException(name + " must look like key=value,key2=value2 (value not shown)");
            out.put(pair.substring(0, eq).strip(), java.net.URLDecoder.decode(pair.substring(eq + 1).strip(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    private static int eventsPerSession(String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 10) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException("LABDESK_EVENTS_PER_SESSION must be a whole number ≥ 10, got '" + v + "'");
    }

    static Duration duration(String name, String v) {
        try {
            var d = v.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(v))
                    : v.matches("\\d+[dD]") ? Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)))
                    : v.matches("\\d+ms") ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
                    : Duration.parse("PT" + v.toUpperCase(Locale.ROOT));
            if (!d.isNegative() && !d.isZero()) return d;
        } catch (RuntimeException ignored) {
            // reported below
        }
        throw new ConfigException(name + " must be seconds or a duration like 90m, 1h or 7d, got '" + v + "'");
    }
}
