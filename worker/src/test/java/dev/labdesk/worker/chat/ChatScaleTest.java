package dev.labdesk.worker.chat;

import dev.labdesk.worker.chat.agents.OfflineInterviewAgent;
import dev.labdesk.worker.chat.profile.OfflineProfileExtractor;
import dev.labdesk.worker.chat.profile.ProfileExtraction;
import dev.labdesk.worker.chat.store.InMemoryConversationStore;
import dev.labdesk.worker.chat.transport.ChatRoutes;
import dev.labdesk.worker.chat.replies.ChatService;

import dev.labdesk.model.Json;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.auth.AuthFilter;
import dev.labdesk.worker.auth.AuthSettings;
import dev.labdesk.worker.auth.Keyring;
import dev.labdesk.worker.http.Problems;
import io.javalin.Javalin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Many connections on one worker, and the app-level ping. The client is the JDK's asynchronous WebSocket. */
class ChatScaleTest {
    @TempDir Path dataDir;

    /** Collects the text frames of one connection (the JDK delivers them in parts). */
    private static final class Listener implements WebSocket.Listener {
        final ConcurrentLinkedQueue<String> frames = new ConcurrentLinkedQueue<>();
        final CountDownLatch history = new CountDownLatch(1);
        final CountDownLatch replied = new CountDownLatch(1);
        final CountDownLatch pinged = new CountDownLatch(2);
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                var frame = partial.toString();
                partial.setLength(0);
                frames.add(frame);
                if (frame.contains("\"type\":\"history\"")) history.countDown();
                if (frame.contains("\"type\":\"message\"") && frame.contains("\"reply_to\":\"hello\"")) replied.countDown();
                if (frame.equals("{\"type\":\"ping\"}")) pinged.countDown();
            }
            ws.request(1);
            return null;
        }
    }

    @Test
    void oneWorkerHoldsAThousandConnectionsWithoutAThreadEach() throws Exception {
        int n = 1_000;
        try (var worker = new Worker(WorkerConfig.local(dataDir)).start();
             var client = HttpClient.newHttpClient()) {
            var threads = ManagementFactory.getThreadMXBean();
            int threadsBefore = threads.getThreadCount();
            var base = URI.create(worker.baseUrl().toString().replaceFirst("^http", "ws") + "/chat/");
            var listeners = new ArrayList<Listener>();
            var sockets = new ArrayList<CompletableFuture<WebSocket>>();
            for (int i = 0; i < n; i++) {
                var l = new Listener();
                listeners.add(l);
                sockets.add(client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(base.resolve("load" + i), l));
                if (i % 100 == 99) CompletableFuture.allOf(sockets.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
            for (var l : listeners) assertThat(l.history.await(30, TimeUnit.SECONDS)).isTrue();
            // One platform thread per connection would add ~1,000 (virtual threads are not counted here).
            assertThat(threads.getThreadCount() - threadsBefore).as("platform threads added for %d connections", n).isLessThan(100);

            for (var s : sockets) s.get().sendText("{\"type\":\"message\",\"client_message_id\":\"hello\",\"text\":\"hi\"}", true);
            for (int i = 0; i < n; i++) assertThat(listeners.get(i).replied.await(30, TimeUnit.SECONDS)).as("reply on connection %d", i).isTrue();
            for (int i = 0; i < n; i++) assertThat(worker.chat().service().store().history("load" + i)).hasSize(2);
            for (var s : sockets) s.get().abort();
        }
    }

    @Test
    void everyOpenConnectionGetsAnAppLevelPing() throws Exception {
        var mapper = Json.newMapper();
        var store = new InMemoryConversationStore();
        try (var chat = new ChatService(store, new OfflineInterviewAgent(), mapper, Clock.systemUTC(), Duration.ofMillis(200));
             var client = HttpClient.newHttpClient()) {
            var routes = new ChatRoutes(chat, new ProfileExtraction(store, new OfflineProfileExtractor(), 2), mapper);
            var app = Javalin.create(cfg -> {
                cfg.concurrency.useVirtualThreads = true;
                cfg.startup.showJavalinBanner = false;
                cfg.jetty.host = "127.0.0.1";
                cfg.jetty.port = 0;
                // the chat routes ask who is calling, as behind the worker's auth filter
                new AuthFilter(AuthSettings.none(), new Keyring(List.of()), new dev.labdesk.worker.auth.SessionCookies("unused-secret-0123456789", new Keyring(List.of()), java.time.Clock.systemUTC()), new Problems(mapper)).register(cfg.routes);
                routes.register(cfg.routes);
            }).start();
            List<WebSocket> sockets = new ArrayList<>();
            try {
                List<Listener> listeners = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    var l = new Listener();
                    listeners.add(l);
                    sockets.add(client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/chat/p" + i), l).get(10, TimeUnit.SECONDS));
                }
                for (var l : listeners) assertThat(l.pinged.await(5, TimeUnit.SECONDS)).as("two pings within 5 s at a 200 ms interval").isTrue();
            } finally {
                // closed from this side first: HttpClient.close() waits for open WebSockets, and one
                // whose close from a stopping server it missed would keep it waiting for ever
                sockets.forEach(WebSocket::abort);
                app.stop();
            }
        }
    }
}
