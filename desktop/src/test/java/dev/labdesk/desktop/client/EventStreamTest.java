package dev.labdesk.desktop.client;

import dev.labdesk.desktop.TcpProxy;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The SSE client against a real worker, through a proxy that drops connections and refuses new ones. */
class EventStreamTest {
    @TempDir Path tmp;
    Worker worker;
    TcpProxy proxy;
    WorkerClient client;
    String sessionId = SessionIds.newId();

    @BeforeEach
    void start() throws Exception {
        worker = new Worker(WorkerConfig.local(tmp)).start();
        proxy = new TcpProxy(worker.port());
        client = new WorkerClient(WorkerAddress.of(proxy.url()));
        var now = Instant.now();
        // a session registered without an agent: the test writes its events itself
        worker.sessions().store().create(new SessionInfo(sessionId, SessionIds.volumeName(sessionId), SessionStatus.RUNNING,
                new ExperimentContext("n", "d", null, null, null, null, null), 0, 0, now, now, null, "local"), List.of());
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
        worker.close();
    }

    private void log(int n) {
        for (int i = 0; i < n; i++) worker.events().append(new SessionEvent.Log(sessionId, 0, Instant.now(), "INFO", "t", "line"));
    }

    @Test
    void resumesAfterCutsAndOutagesWithNoGapAndNoDuplicate() throws Exception {
        var seqs = new CopyOnWriteArrayList<Long>();
        var states = new CopyOnWriteArrayList<String>();
        try (var stream = client.events(sessionId, 0, new EventStream.Listener() {
            @Override public void event(SessionEvent e) { seqs.add(e.seq()); }
            @Override public void state(EventStream.State s, String detail) { states.add(s + ": " + detail); }
        }).start()) {
            log(50);
            await().atMost(Duration.ofSeconds(10)).until(() -> seqs.size() == 50);

            proxy.cut();
            log(50); // written while the client is cut off
            await().atMost(Duration.ofSeconds(10)).until(() -> seqs.size() == 100);

            proxy.stop(); // the worker "goes away": connections refused for a while
            log(50);
            await().atMost(Duration.ofSeconds(10)).until(() -> states.stream().filter(s -> s.startsWith("RECONNECTING")).count() >= 3);
            proxy.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> seqs.size() == 150);

            worker.events().append(new SessionEvent.Status(sessionId, 0, Instant.now(), SessionStatus.SUCCEEDED));
            await().atMost(Duration.ofSeconds(10)).until(() -> states.getLast().startsWith("ENDED"));
        }
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 151).boxed().toList());
        assertThat(states).anyMatch(s -> s.startsWith("LIVE: caught up: resumed after event 100"));
    }

    @Test
    void resumingAfterTheFinalEventEndsWithoutReconnectingAndTheAgentsErrorArrives() throws Exception {
        log(2);
        worker.events().append(new SessionEvent.Error(sessionId, 0, Instant.now(), "bad_column", "od600 is empty", false));
        worker.events().append(new SessionEvent.Status(sessionId, 0, Instant.now(), SessionStatus.FAILED));
        var events = new CopyOnWriteArrayList<SessionEvent>();
        var states = new CopyOnWriteArrayList<String>();
        try (var stream = client.events(sessionId, 0, new EventStream.Listener() {
            @Override public void event(SessionEvent e) { events.add(e); }
            @Override public void state(EventStream.State s, String detail) { states.add(s + ": " + detail); }
        }).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !states.isEmpty() && states.getLast().startsWith("ENDED"));
        }
        assertThat(events).extracting(SessionEvent::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(events.get(2)).isInstanceOf(SessionEvent.Error.class); // sent as event: agent_error

        var resumed = new CopyOnWriteArrayList<String>();
        try (var stream = client.events(sessionId, 4, new EventStream.Listener() {
            @Override public void event(SessionEvent e) { resumed.add("event " + e.seq()); }
            @Override public void state(EventStream.State s, String detail) { resumed.add(s + ": " + detail); }
        }).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.stream().anyMatch(s -> s.startsWith("ENDED")));
            Thread.sleep(1500); // long enough for a first reconnect, had the 204 been taken for a failure
        }
        assertThat(resumed).noneMatch(s -> s.startsWith("RECONNECTING") || s.startsWith("event"));
    }
}
