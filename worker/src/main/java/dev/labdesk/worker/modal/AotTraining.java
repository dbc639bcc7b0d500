package dev.labdesk.worker.modal;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

/**
 * The training run for the JDK's AOT cache (JEP 483/514), at packaging time and in the Modal image
 * build: {@code java -XX:AOTCacheOutput=labdesk-worker.aot -cp labdesk-worker.jar
 * dev.labdesk.worker.modal.AotTraining}. It starts a worker the way {@code WorkerMain} does, asks
 * what a platform health check and a first browser ask, and exits, so that the classes of start-up
 * are loaded and linked from the cache on every later start.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        var dir = Files.createTempDirectory("labdesk-aot-training");
        try (var worker = new Worker(WorkerConfig.local(dir)).start()) {
            var http = HttpClient.newHttpClient();
            for (var path : new String[] {"/health", "/", "/sessions", "/health"}) {
                var r = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + path)).build(), HttpResponse.BodyHandlers.discarding());
                if (path.equals("/health") && r.statusCode() != 200) throw new IllegalStateException("/health answered " + r.statusCode());
            }
        }
        System.exit(0); // a clean exit writes the cache
    }
}
