package dev.labdesk.worker;

import java.util.List;

/** {@code java -jar labdesk-worker.jar [--port=8000] [--data-dir=…]}: runs the worker until stopped. */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        WorkerConfig config;
        try {
            config = WorkerConfig.fromEnvironment(System.getenv(), List.of(args));
        } catch (WorkerConfig.ConfigException e) {
            System.err.println("labdesk-worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        var worker = new Worker(config).start();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(worker::close));
    }
}
