package dev.labdesk.worker.redis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * One real {@code redis-server} for all the tests of a class ({@code @RegisterExtension static}):
 * started before the first, stopped after the last, its files removed. The tests that run two
 * workers on one Redis all set it up this way.
 */
public final class SharedRedis implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private RedisServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("labdesk-redis-");
        server = RedisServer.start(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            server.close();
        } finally {
            try (var files = Files.walk(dir)) {
                for (var p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temp folder left behind is not a test failure
            }
        }
    }

    public URI url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** For fault tests: the server goes away, and comes back on the same port with what it had. */
    public void stop() throws InterruptedException {
        server.stop();
    }

    public void start() throws IOException, InterruptedException {
        server.start();
    }
}
