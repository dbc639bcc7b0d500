package dev.labdesk.worker.agent;

import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.labdesk.model.ReportSummary;
import dev.labdesk.model.SessionEvent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The agent's only way to speak: batched JSON posts to the worker's {@code POST /log} with the
 * run's bearer token. Records are sent every {@link #FLUSH_EVERY} or as soon as {@link #MAX_BATCH}
 * are waiting, by one sender thread, so they arrive in order. Connection errors, 429 and 5xx are
 * retried with backoff (the same batch, so order holds) until {@code giveUpAfter}; 401/403/409
 * mean the run is over for the worker, so the sink stops at once. {@link #close} flushes.
 */
public final class LogSink implements AutoCloseable {
    static final int MAX_BATCH = 1_000;
    static final Duration FLUSH_EVERY = Duration.ofMillis(100);
    private static final int MAX_PENDING = 100_000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final URI url;
    private final String authorization;
    private final Duration giveUpAfter;
    private final Clock clock;
    private final ObjectWriter writer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayList<SessionEvent> pending = new ArrayList<>();
    private final Thread sender;
    private boolean closing;
    private volatile String failure;
    private long dropped;

    public LogSink(URI url, String token, ObjectMapper mapper, Clock clock, Duration giveUpAfter) {
        this.url = url;
        this.authorization = "Bearer " + token;
        this.clock = clock;
        this.giveUpAfter = giveUpAfter;
        this.writer = mapper.writerFor(new TypeReference<List<SessionEvent>>() {});
        this.sender = Thread.ofPlatform().name("labdesk-log-sink").daemon().start(this::sendLoop);
    }

    public void log(String level, String logger, String message) {
        enqueue(new SessionEvent.Log(null, 0, clock.instant(), level, logger, message));
    }

    public void progress(String step, long done, long total) {
        enqueue(new SessionEvent.Progress(null, 0, clock.instant(), step, done, total));
    }

    public void result(ReportSummary summary) {
        enqueue(new SessionEvent.Result(null, 0, clock.instant(), summary));
    }

    public void error(String code, String message) {
        enqueue(new SessionEvent.Error(null, 0, clock.instant(), code, message, false));
    }

    private void enqueue(SessionEvent event) {
        lock.lock();
        try {
            // back-pressure instead of unbounded memory while the worker is unreachable
            while (pending.size() >= MAX_PENDING && failure == null && !closing) changed.awaitUninterruptibly();
            if (failure != null || closing) {
                dropped++;
                return;
            }
            pending.add(event);
            if (pending.size() == 1 || pending.size() >= MAX_BATCH) changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Why the sink stopped delivering, if it did; empty while every record so far was accepted. */
    public Optional<String> failure() {
        lock.lock();
        try {
            if (failure != null) return Optional.of(failure);
            if (dropped > 0) return Optional.of(dropped + " records were refused or dropped");
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Sends what is waiting and stops, waiting at most {@code wait} for the worker to take it. */
    public void close(Duration wait) {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            if (!sender.join(wait)) {
                fail("records still unsent after " + wait.toMillis() + " ms at close");
                sender.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private void sendLoop() {
        try {
            while (true) {
                var batch = nextBatch();
                if (batch == null) return;
                deliver(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until a batch is due: full, or its first record has waited FLUSH_EVERY, or closing. Null when done. */
    private List<SessionEvent> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (pending.isEmpty()) {
                if (closing || failure != null) return null;
                changed.await();
            }
            long deadline = System.nanoTime() + FLUSH_EVERY.toNanos();
            long left;
            while (pending.size() < MAX_BATCH && !closing && (left = deadline - System.nanoTime()) > 0)
                changed.awaitNanos(left);
            int n = Math.min(pending.size(), MAX_BATCH);
            var batch = new ArrayList<>(pending.subList(0, n));
            pending.subList(0, n).clear();
            changed.signalAll(); // room again for producers held by back-pressure
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void deliver(List<SessionEvent> batch) throws InterruptedException {
        byte[] body;
        try {
            body = writer.writeValueAsBytes(batch);
        } catch (IOException e) {
            refused(batch.size(), "could not encode records: " + e.getMessage());
            return;
        }
        // one key per batch, the same on every retry: a batch the worker appended but whose answer was
        // lost is not logged twice when it is sent again
        var request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long giveUpAt = System.nanoTime() + giveUpAfter.toNanos();
        long backoff = 100;
        while (true) {
            String problem;
            try {
                var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) return;
                if (status == 401 || status == 403 || status == 409) {
                    fail("POST " + url + " answered " + status + ": " + response.body());
                    return;
                }
                if (status != 429 && status < 500) {
                    refused(batch.size(), "POST " + url + " answered " + status + ": " + response.body());
                    return;
                }
                problem = "answered " + status;
            } catch (IOException e) {
                problem = e.toString();
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) > giveUpAt) {
                fail("POST " + url + " kept failing for " + giveUpAfter.toSeconds() + " s, last: " + problem);
                return;
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
        }
    }

    private void refused(int count, String why) {
        System.err.println("labdesk-agent: " + count + " log records refused: " + why);
        lock.lock();
        try {
            dropped += count;
        } finally {
            lock.unlock();
        }
    }

    private void fail(String why) {
        lock.lock();
        try {
            if (failure == null) {
                failure = why;
                System.err.println("labdesk-agent: log sink stopped: " + why);
            }
            dropped += pending.size();
            pending.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
