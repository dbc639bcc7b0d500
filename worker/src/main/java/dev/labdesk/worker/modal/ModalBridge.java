package dev.labdesk.worker.modal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code packaging/modal/bridge.py} (the official Modal SDK inside the container) one command
 * at a time and reads its JSON lines. There is no Modal SDK for the JVM; a process per operation
 * keeps the contract tiny (arguments in, JSON lines out, exit code) and needs no server of its own.
 */
public final class ModalBridge {
    private final List<String> command;
    private final ObjectMapper mapper;

    public ModalBridge(List<String> command, ObjectMapper mapper) {
        this.command = List.copyOf(command);
        this.mapper = mapper;
    }

    /** The bridge's outcome: exit code and its last JSON line. */
    public record Result(int exitCode, JsonNode last) {
        public String error() {
            return last.path("error").asText("") + (last.has("message") ? ": " + last.path("message").asText() : "");
        }
    }

    /** Runs one short command ({@code check}, {@code put}, {@code get}) to its end. */
    public Result call(List<String> args, Map<String, String> env, Duration timeout) throws IOException {
        var process = start(args, env);
        JsonNode last = mapper.createObjectNode();
        var output = new StringBuilder();
        try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                var json = parse(line);
                if (json != null) last = json;
                else if (output.length() < 4000) output.append(line).append('\n');
            }
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("the Modal bridge did not finish '" + args.getFirst() + "' within " + timeout);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the Modal bridge ran '" + args.getFirst() + "'");
        }
        if (last.isEmpty() && process.exitValue() != 0)
            throw new IOException("the Modal bridge failed (exit " + process.exitValue() + "): " + output.toString().strip());
        return new Result(process.exitValue(), last);
    }

    /** Starts a long command ({@code run}); the caller reads its JSON lines with {@link #parse}. */
    public Process start(List<String> args, Map<String, String> env) throws IOException {
        var full = new ArrayList<>(command);
        full.addAll(args);
        var builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("PYTHONUNBUFFERED", "1");
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IOException("the Modal bridge could not be started (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    /** A JSON line of the bridge, or null for anything else it printed (a Python warning, say). */
    public JsonNode parse(String line) {
        if (!line.startsWith("{")) return null;
        try {
            return mapper.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    public String describe() {
        return String.join(" ", command);
    }
}
