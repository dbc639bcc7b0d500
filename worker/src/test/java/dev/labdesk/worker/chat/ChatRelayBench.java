package dev.labdesk.worker.chat;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.redis.RedisServer;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Chat delivery through the relay: a client sends a message on worker A and a second socket of the
 * same user watches on worker B (both on one real redis-server), or both sockets on one in-memory
 * worker. Offline agent, so the model's latency is not measured. Per message: time to the first
 * frame carrying the reply (a delta naming it in reply_to, or the final message when the reply comes
 * whole without deltas, as the offline interview's do) on the sender's socket and on the watcher's,
 * and to the final message on the watcher's.
 * Usage: {@code ChatRelayBench memory|redis MESSAGES}. Prints one JSON line.
 */
public final class ChatRelayBench {
    public static void main(String[] args) throws Exception {
        var mode = args[0];
        int messages = Integer.parseInt(args[1]);
        var tmp = Files.createTempDirectory("labdesk-chat-relay-bench");
        RedisServer redis = null;
        Worker a;
        Worker b;
        if (mode.equals("redis")) {
            redis = RedisServer.start(Files.createDirectory(tmp.resolve("redis")));
            a = new Worker(WorkerConfig.local(tmp.resolve("a")).withRedis(redis.url())).start();
            b = new Worker(WorkerConfig.local(tmp.resolve("b")).withRedis(redis.url())).start();
        } else {
            a = new Worker(WorkerConfig.local(tmp.resolve("a"))).start();
            b = a;
        }
        var http = ChatTestClient.http();
        long[] senderFirst = new long[messages];
        long[] watcherFirst = new long[messages];
        long[] watcherFinal = new long[messages];
        try (var sender = new ChatTestClient(http, a.baseUrl(), "bench-user");
             var watcher = new ChatTestClient(http, b.baseUrl(), "bench-user")) {
            sender.opened.get(15, TimeUnit.SECONDS);
            watcher.opened.get(15, TimeUnit.SECONDS);
            sender.next("history");
            watcher.next("history");
            for (int i = -20; i < messages; i++) { // 20 unmeasured rounds to warm up
                var id = "m" + i;
                long start = System.nanoTime();
                sender.message(id, "round " + i + ": I work with plate reader data");
                var senderFirstFrame = sender.next(f -> startsReply(f, id));
                long s1 = System.nanoTime();
                var watcherFirstFrame = watcher.next(f -> startsReply(f, id));
                long w1 = System.nanoTime();
                if (!isReplyMessage(watcherFirstFrame, id)) watcher.next(f -> isReplyMessage(f, id));
                long w2 = System.nanoTime();
                if (!isReplyMessage(senderFirstFrame, id)) sender.next(f -> isReplyMessage(f, id));
                if (i >= 0) {
                    senderFirst[i] = s1 - start;
                    watcherFirst[i] = w1 - start;
                    watcherFinal[i] = w2 - start;
                }
                sender.seen.clear();
                watcher.seen.clear();
            }
        } finally {
            http.dispatcher().executorService().shutdownNow();
            a.close();
            if (b != a) b.close();
            if (redis != null) redis.close();
        }
        System.out.printf(java.util.Locale.ROOT,
                "{\"mode\":\"%s\",\"messages\":%d,\"sender_first_delta_ms\":%s,\"watcher_first_delta_ms\":%s,\"watcher_final_ms\":%s}%n",
                mode, messages, stats(senderFirst), stats(watcherFirst), stats(watcherFinal));
        System.exit(0);
    }

    private static boolean isReplyMessage(com.fasterxml.jackson.databind.JsonNode f, String id) {
        return f.path("type").asText().equals("message") && id.equals(f.at("/message/reply_to").asText());
    }

    /** The first frame of the reply to {@code id}: its first delta, or its message when it has none. */
    private static boolean startsReply(com.fasterxml.jackson.databind.JsonNode f, String id) {
        return (f.path("type").asText().equals("delta") && id.equals(f.path("reply_to").asText())) || isReplyMessage(f, id);
    }

    private static String stats(long[] nanos) {
        var sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(java.util.Locale.ROOT, "{\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f}",
                at(sorted, 0.50) / 1e6, at(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static long at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
