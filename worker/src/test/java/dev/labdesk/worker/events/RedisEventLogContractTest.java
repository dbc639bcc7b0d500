package dev.labdesk.worker.events;

import dev.labdesk.model.Json;
import dev.labdesk.model.SessionIds;
import dev.labdesk.worker.redis.RedisBackend;
import dev.labdesk.worker.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The event-log contract on Redis Streams, plus what only a shared log must do. */
class RedisEventLogContractTest extends EventLogContract {
    @TempDir static Path redisDir;
    static RedisServer server;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start(redisDir);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        server.close();
    }

    @AfterEach
    void closeLogs() throws Exception {
        for (var c : opened.reversed()) c.close();
    }

    @Override
    EventLog log(int retain) {
        return log(retain, Duration.ofHours(1));
    }

    private RedisEventLog log(int retain, Duration ttl) {
        var backend = new RedisBackend(server.url(), Duration.ofSeconds(2), "test:");
        var log = new RedisEventLog(backend, Json.newMapper(), retain, ttl);
        opened.add(backend);
        opened.add(log);
        return log;
    }

    @Test
    void twoWorkersAppendingToOneSessionShareOneGapFreeSequence() throws Exception {
        var a = log(100_000);
        var b = log(100_000); // its own connection, as a second worker process has
        var s = SessionIds.newId();
        var fromA = CompletableFuture.runAsync(() -> IntStream.range(0, 500).forEach(i -> a.append(line(s, "A" + i))));
        var fromB = CompletableFuture.runAsync(() -> IntStream.range(0, 50).forEach(i ->
                b.appendAll(IntStream.range(0, 10).mapToObj(j -> line(s, "B" + (i * 10 + j))).toList())));
        CompletableFuture.allOf(fromA, fromB).join();
        var seen = readAll(b, s, 0);
        assertThat(seen).extracting(e -> e.seq()).containsExactlyElementsOf(LongStream.rangeClosed(1, 1000).boxed().toList());
        var messages = seen.stream().map(e -> ((dev.labdesk.model.SessionEvent.Log) e).message()).toList();
        assertThat(messages.stream().filter(m -> m.startsWith("A")).toList())
                .containsExactlyElementsOf(IntStream.range(0, 500).mapToObj(i -> "A" + i).toList());
        // a batch is one step: its ten records are adjacent
        for (int i = 0; i < 50; i++) {
            int base = i * 10;
            int at = messages.indexOf("B" + base);
            assertThat(messages.subList(at, at + 10)).containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(j -> "B" + (base + j)).toList());
        }
        assertThat(a.lastSeq(s)).isEqualTo(1000);
    }

    @Test
    void aReaderOnOneWorkerWakesWhenAnotherWorkerAppends() throws Exception {
        var a = log(1000);
        var b = log(1000);
        var s = SessionIds.newId();
        var waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return b.read(s, 0, 10, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        a.append(line(s, "from A"));
        assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS).events()).extracting(e -> e.seq()).containsExactly(1L);
    }

    @Test
    void aSessionsStreamExpiresAfterTheRetentionTime() throws Exception {
        var log = log(1000, Duration.ofMillis(400));
        var s = SessionIds.newId();
        log.append(line(s, "short-lived"));
        assertThat(log.lastSeq(s)).isEqualTo(1);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> log.lastSeq(s) == 0);
        assertThat(log.read(s, 0, 10, Duration.ZERO).events()).isEmpty();
    }
}
