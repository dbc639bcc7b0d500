package dev.labdesk.worker;

import dev.labdesk.worker.auth.AuthSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything the worker is configured with, as values: {@link WorkerEnv} reads them from the
 * environment and flags; tests and the desktop's embedded worker start from {@link #local} and
 * change what they need ({@link #with}). The string form shows no secret.
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

        @Override
        public String toString() {
            return "Scale[retention=" + retention + ", eventsPerSession=" + eventsPerSession + ", otlpEndpoint=" + otlpEndpoint.map(WorkerConfig::withoutUserInfo)
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

    /** A copy with what {@code change} sets on a builder that starts from this config. */
    public WorkerConfig with(Consumer<Builder> change) {
        var b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    public WorkerConfig withPort(int port) {
        return with(b -> b.port(port));
    }

    /** {@code null} key: offline; {@code null} model: {@link #DEFAULT_MODEL}. */
    public WorkerConfig withOpenAi(String apiKey, URI baseUrl, String model) {
        return with(b -> b.openAi(apiKey, baseUrl, model));
    }

    public WorkerConfig withRedis(URI redis) {
        return with(b -> b.redis(redis));
    }

    public WorkerConfig withAuth(AuthSettings auth) {
        return with(b -> b.auth(auth));
    }

    public WorkerConfig withLimits(Limits limits) {
        return with(b -> b.limits(limits));
    }

    /** Changes to a config; {@code null} for an optional value leaves it unset. */
    public static final class Builder {
        private String host;
        private int port;
        private Path dataDir;
        private Optional<URI> publicUrl;
        private VolumesKind volumes;
        private AgentKind agent;
        private Duration agentTimeout;
        private Optional<String> openaiApiKey;
        private Optional<URI> openaiBaseUrl;
        private String openaiModel;
        private Optional<URI> redisUrl;
        private Optional<String> logfireToken;
        private Scale scale;
        private AuthSettings auth;
        private Limits limits;

        private Builder(WorkerConfig c) {
            host = c.host;
            port = c.port;
            dataDir = c.dataDir;
            publicUrl = c.publicUrl;
            volumes = c.volumes;
            agent = c.agent;
            agentTimeout = c.agentTimeout;
            openaiApiKey = c.openaiApiKey;
            openaiBaseUrl = c.openaiBaseUrl;
            openaiModel = c.openaiModel;
            redisUrl = c.redisUrl;
            logfireToken = c.logfireToken;
            scale = c.scale;
            auth = c.auth;
            limits = c.limits;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where agents post their logs, when not this worker's own address. */
        public Builder publicUrl(URI url) {
            this.publicUrl = Optional.ofNullable(url);
            return this;
        }

        public Builder kinds(VolumesKind volumes, AgentKind agent) {
            this.volumes = volumes;
            this.agent = agent;
            return this;
        }

        public Builder agentTimeout(Duration timeout) {
            this.agentTimeout = timeout;
            return this;
        }

        public Builder openAi(String apiKey, URI baseUrl, String model) {
            this.openaiApiKey = Optional.ofNullable(apiKey);
            this.openaiBaseUrl = Optional.ofNullable(baseUrl);
            this.openaiModel = model == null ? DEFAULT_MODEL : model;
            return this;
        }

        public Builder redis(URI url) {
            this.redisUrl = Optional.ofNullable(url);
            return this;
        }

        public Builder logfireToken(String token) {
            this.logfireToken = Optional.ofNullable(token);
            return this;
        }

        /** How long stores keep what no one touches. */
        public Builder retention(Duration ttl) {
            scale = new Scale(ttl, scale.eventsPerSession(), scale.redisTimeout(), scale.modalBridge(), scale.modalAgentJava(),
                    scale.otlpEndpoint(), scale.otlpHeaders());
            return this;
        }

        /** The bridge command and the agent's java command (tests: a stand-in SDK and this JVM's class path). */
        public Builder modal(List<String> bridge, List<String> agentJava) {
            scale = new Scale(scale.retention(), scale.eventsPerSession(), scale.redisTimeout(), List.copyOf(bridge),
                    List.copyOf(agentJava), scale.otlpEndpoint(), scale.otlpHeaders());
            return this;
        }

        /** Where traces go instead of Logfire's default endpoint (the full URL, .../v1/traces), with extra headers. */
        public Builder otlp(URI tracesEndpoint, Map<String, String> headers) {
            scale = new Scale(scale.retention(), scale.eventsPerSession(), scale.redisTimeout(), scale.modalBridge(),
                    scale.modalAgentJava(), Optional.of(tracesEndpoint), Map.copyOf(headers));
            return this;
        }

        public Builder auth(AuthSettings auth) {
            this.auth = auth;
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = limits;
            return this;
        }

        public WorkerConfig build() {
            return new WorkerConfig(host, port, dataDir, publicUrl, volumes, agent, agentTimeout, openaiApiKey, openaiBaseUrl,
                    openaiModel, redisUrl, logfireToken, scale, auth, limits);
        }
    }
}
