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
    private final VolumeUploads uploads = new VolumeUploads();

    public ModalBridge(List<String> command, ObjectMapper mapper) {
        this.command = List.copyOf(command);
        this.mapper = mapper;
    }

    /** The bridge's outcome: exit code, its last JSON line and every JSON line it printed. */
    public record Result(int exitCode, JsonNode last, List<JsonNode> lines) {
        public String error() {
            return last.path("error").asText("") + (last.has("message") ? ": " + last.path("message").asText() : "");
        }
    }

    /**
     * Runs one short command ({@code check}, {@code put}, {@code get}, {@code status}, {@code terminate}) to
     * its end. The timeout holds for the whole call, reading included: a bridge stuck on Modal is killed.
     */
    public Result call(List<String> args, Map<String, String> env, Duration timeout) throws IOException {
        var process = start(args, env);
        var lines = new ArrayList<JsonNode>();
        var output = new StringBuilder();
        var reader = Thread.ofVirtual().name("modal-bridge-" + args.getFirst()).start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    var json = parse(line);
                    synchronized (lines) {
                        if (json != null) lines.add(json);
                        else if (output.length() < 4000) output.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the process was killed on its timeout: what was read so far is kept
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IOException("the Modal bridge did not finish '" + args.getFirst() + "' within " + timeout);
            }
            reader.join(Duration.ofSeconds(5)); // the rest of its output, already in the pipe
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the Modal bridge ran '" + args.getFirst() + "'");
        }
        List<JsonNode> all;
        String text;
        synchronized (lines) {
            all = List.copyOf(lines);
            text = output.toString().strip();
        }
        if (all.isEmpty() && process.exitValue() != 0)
            throw new IOException("the Modal bridge failed (exit " + process.exitValue() + "): " + text);
        return new Result(process.exitValue(), all.isEmpty() ? mapper.createObjectNode() : all.getLast(), all);
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

    /** The Modal volume uploads this container has under way: the volume store starts them, the launcher waits for them. */
    public VolumeUploads uploads() {
        return uploads;
    }

    public String describe() {
        return String.join(" ", command);
    }
}
