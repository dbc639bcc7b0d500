package dev.labdesk.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@link AgentMain} is started with: {@code --session-id=… --volume=PATH --log-url=URL
 * [--context-file=PATH] [--state-dir=PATH]} (where it notes the file it reads, see {@link EngineGuard}), the run token in {@code LABDESK_RUN_TOKEN} (never an argument: {@code ps}
 * shows arguments to every user), the context as a file or as JSON in {@code LABDESK_AGENT_CONTEXT}.
 */
record AgentArgs(String sessionId, Path volume, URI logUrl, String token, ExperimentContext context, Path stateDir) {
    static final String TOKEN_ENV = "LABDESK_RUN_TOKEN";
    static final String CONTEXT_ENV = "LABDESK_AGENT_CONTEXT";

    /** Where the agent notes what a native crash would need known; none without {@code --state-dir}. */
    EngineGuard guard() {
        return stateDir == null ? EngineGuard.none() : EngineGuard.in(stateDir);
    }

    /** A bad start: the message is the one line printed before exiting with code 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static AgentArgs parse(String[] args, Map<String, String> env, ObjectMapper mapper) throws UsageException {
        var values = new HashMap<String, String>();
        for (var arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) throw new UsageException("unknown argument '" + arg + "': use --name=value");
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        var sessionId = required(values, "session-id");
        var volume = Path.of(required(values, "volume"));
        if (!Files.isDirectory(volume)) throw new UsageException("--volume " + volume + " is not a directory");
        URI logUrl;
        try {
            logUrl = URI.create(required(values, "log-url"));
            if (logUrl.getHost() == null || !(logUrl.getScheme().equals("http") || logUrl.getScheme().equals("https")))
                throw new IllegalArgumentException("not http(s)");
        } catch (IllegalArgumentException e) {
            throw new UsageException("--log-url must be an http(s) URL, got '" + values.get("log-url") + "'");
        }
        var token = env.get(TOKEN_ENV);
        if (token == null || token.isBlank()) throw new UsageException(TOKEN_ENV + " (the run's bearer token) is not set");
        var stateDir = values.containsKey("state-dir") ? Path.of(values.get("state-dir")) : null;
        if (stateDir != null && !Files.isDirectory(stateDir)) throw new UsageException("--state-dir " + stateDir + " is not a directory");
        return new AgentArgs(sessionId, volume, logUrl, token.strip(), context(values.get("context-file"), env.get(CONTEXT_ENV), mapper), stateDir);
    }

    private static ExperimentContext context(String file, String json, ObjectMapper mapper) throws UsageException {
        try {
            if (file != null) return mapper.readValue(Files.readAllBytes(Path.of(file)), ExperimentContext.class);
            if (json != null && !json.isBlank()) return mapper.readValue(json, ExperimentContext.class);
            return null;
        } catch (IOException e) {
            throw new UsageException("the experiment context could not be read: " + e.getMessage());
        }
    }

    private static String required(Map<String, String> values, String name) throws UsageException {
        var v = values.get(name);
        if (v == null || v.isBlank()) throw new UsageException("--" + name + " is required");
        return v;
    }

    @Override
    public String toString() {
        return "AgentArgs[" + sessionId + ", " + volume + ", " + logUrl + "]"; // never the token
    }
}
