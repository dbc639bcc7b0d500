package dev.labdesk.worker;

import dev.labdesk.worker.http.FrontDoor;

import java.io.IOException;
import java.util.List;

/** {@code java -jar labdesk-worker.jar [--port=8000] [--data-dir=…]}: runs the worker until stopped. */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        WorkerConfig config;
        try {
            config = WorkerEnv.read(System.getenv(), List.of(args));
        } catch (WorkerConfig.ConfigException e) {
            System.err.println("labdesk-worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        // bound first, so that /health is answered while the rest of the worker is still loading
        FrontDoor door;
        try {
            door = FrontDoor.open(config.host(), config.port());
        } catch (IOException e) {
            System.err.println("labdesk-worker: cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        Worker worker;
        try {
            worker = new Worker(config, door).start();
        } catch (WorkerConfig.ConfigException e) { // a data dir it cannot use (a database held, damaged or newer)
            door.close();
            System.err.println("labdesk-worker: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception | Error e) {
            door.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(worker::close));
    }
}
