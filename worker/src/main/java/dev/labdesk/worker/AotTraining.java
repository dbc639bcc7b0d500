package dev.labdesk.worker;

import java.util.concurrent.FutureTask;

import dev.labdesk.worker.http.FrontDoor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * The training run for the JDK's AOT cache (JEP 483/514), at packaging time and in the Modal image
 * build: {@code java -XX:AOTCacheOutput=labdesk-worker.aot -cp labdesk-worker.jar
 * dev.labdesk.worker.AotTraining}. It starts a worker the way {@code WorkerMain} does, asks
 * what a platform health check and a first browser ask, and exits, so that the classes of start-up
 * are loaded and linked from the cache on every later start.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        var dir = Files.createTempDirectory("labdesk-aot-training");
        // configured as WorkerMain does it, so that reading the configuration is in the cache too
        var config = WorkerEnv.read(Map.of("LABDESK_DATA_DIR", dir.toString(), "LABDESK_PORT", "0"), List.of());
        // through the front door as WorkerMain starts, and one /health answered by the door itself
        // (asked before the worker exists, so it waits for the check), so that its path is in the cache too
        var door = FrontDoor.open(config.host(), config.port());
        var early = new FutureTask<>(() -> get(door.port(), "/health", null));
        Thread.ofPlatform().start(early);
        try (var worker = new Worker(config, door).start()) {
            if (early.get() != 200) throw new IllegalStateException("the front door's /health answered " + early.get());
            // signed in as a client is: the key check and the session list are in the cache too
            var token = Files.readString(dir.resolve("token")).strip();
            for (var path : new String[] {"/health", "/", "/sessions", "/health"}) {
                int status = get(worker.port(), path, token);
                if (path.equals("/health") && status != 200) throw new IllegalStateException("/health answered " + status);
            }
        }
        System.exit(0); // a clean exit writes the cache
    }

    /**
     * One HTTP/1.1 GET over a plain socket, returning the status code. Not the JDK's HttpClient: every
     * class the training run loads is loaded again on each start, and the HttpClient (with the TLS
     * classes it initialises) would be about 700 classes the worker itself never needs.
     */
    private static int get(int port, String path, String token) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            var auth = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            var statusLine = response.substring(0, Math.max(0, response.indexOf("\r\n"))).split(" ");
            if (statusLine.length < 2) throw new IOException("no HTTP status line from " + path);
            return Integer.parseInt(statusLine[1]);
        }
    }
}
