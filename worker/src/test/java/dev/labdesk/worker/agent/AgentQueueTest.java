package dev.labdesk.worker.agent;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Limits;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.events.InMemoryEventLog;
import dev.labdesk.worker.session.InMemorySessionStore;
import dev.labdesk.worker.session.SessionService;
import dev.labdesk.worker.session.SingleWorkerCancels;
import dev.labdesk.worker.volume.LocalVolumeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent queue with real agent processes: a slow agent ({@link TestAgents.WaitsForRelease})
 * holds the only agent place until the test releases it, so who runs and who waits is certain.
 */
class AgentQueueTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir Path dataDir;
    private InMemorySessionStore store;
    private InMemoryEventLog events;
    private LocalVolumeStore volumes;
    private SessionService service;

    @BeforeEach
    void start() throws Exception {
        var clock = Clock.systemUTC();
        store = new InMemorySessionStore(clock);
        events = new InMemoryEventLog(10_000);
        volumes = new LocalVolumeStore(dataDir.resolve("volumes"));
        var launcher = new ProcessAgentLauncher(WorkerConfig.local(dataDir), TestAgents.WaitsForRelease.class.getName());
        service = new SessionService(store, events, volumes, launcher, () -> URI.create("http://127.0.0.1:9/log"),
                Duration.ofMinutes(5), clock, new SingleWorkerCancels(), SessionService.OWNER_GRACE, Limits.defaults().withMaxAgents(1));
    }

    @AfterEach
    void stop() {
        service.shutdown();
    }

    @Test
    void withOneAgentTheOthersWaitInLineHearTheirPlaceAndFinishInOrder() throws Exception {
        var first = open("ada");
        var second = open("ada");
        var third = open("ada");

        awaitStatus(first, SessionStatus.RUNNING);
        assertThat(status(second)).isEqualTo(SessionStatus.QUEUED);
        assertThat(status(third)).isEqualTo(SessionStatus.QUEUED);
        assertThat(logs(second)).containsExactly("waiting for an agent: 1st in line, 1 running");
        assertThat(logs(third)).containsExactly("waiting for an agent: 2nd in line, 1 running");
        assertThat(agentProcesses()).as("one agent at a time").hasSize(1);

        release(third); // its agent may end as soon as it starts, but it must not start before its turn
        release(first);
        awaitStatus(first, SessionStatus.SUCCEEDED);
        awaitStatus(second, SessionStatus.RUNNING);
        assertThat(logs(third)).containsExactly("waiting for an agent: 2nd in line, 1 running",
                "waiting for an agent: 1st in line, 1 running");
        Thread.sleep(500);
        assertThat(status(third)).as("still waiting while the second runs").isEqualTo(SessionStatus.QUEUED);
        assertThat(agentProcesses()).hasSize(1);

        release(second);
        awaitStatus(second, SessionStatus.SUCCEEDED);
        awaitStatus(third, SessionStatus.SUCCEEDED);
        assertThat(statuses(third)).containsExactly(SessionStatus.QUEUED, SessionStatus.RUNNING, SessionStatus.SUCCEEDED);
        assertThat(startedAt(second)).isAfterOrEqualTo(endedAt(first));
        assertThat(startedAt(third)).isAfterOrEqualTo(endedAt(second));
    }

    @Test
    void ownersTakeTurnsSoOnePrincipalsUploadsDoNotKeepAnotherWaiting() throws Exception {
        var a1 = open("ada");
        awaitStatus(a1, SessionStatus.RUNNING);
        var a2 = open("ada");
        var a3 = open("ada");
        var b1 = open("bob");

        assertThat(logs(a2)).containsExactly("waiting for an agent: 1st in line, 1 running");
        assertThat(logs(b1)).containsExactly("waiting for an agent: 2nd in line, 1 running");
        assertThat(logs(a3)).as("bob's first upload goes before ada's third").containsExactly(
                "waiting for an agent: 2nd in line, 1 running", "waiting for an agent: 3rd in line, 1 running");

        List.of(a1, a2, a3, b1).forEach(this::release);
        awaitStatus(a3, SessionStatus.SUCCEEDED);
        assertThat(startedAt(b1)).isAfterOrEqualTo(endedAt(a2));
        assertThat(startedAt(a3)).isAfterOrEqualTo(endedAt(b1));
    }

    @Test
    void aQueuedSessionThatIsCancelledLeavesTheLineAtOnceAndNeverStarts() throws Exception {
        var first = open("ada");
        var second = open("ada");
        var third = open("ada");
        awaitStatus(first, SessionStatus.RUNNING);

        assertThat(service.cancel(second)).isTrue();
        assertThat(status(second)).as("ended at once, no agent waited for").isEqualTo(SessionStatus.CANCELLED);
        assertThat(logs(third)).containsExactly("waiting for an agent: 2nd in line, 1 running",
                "waiting for an agent: 1st in line, 1 running");

        release(first);
        release(third);
        awaitStatus(third, SessionStatus.SUCCEEDED);
        assertThat(statuses(second)).containsExactly(SessionStatus.QUEUED, SessionStatus.CANCELLED);
        assertThat(Files.exists(dataDir.resolve("agents").resolve(second))).as("no agent was started for it").isFalse();
    }

    @Test
    void shuttingDownEndsTheWaitingSessionsAndStopsTheRunningAgent() throws Exception {
        var first = open("ada");
        var second = open("bob");
        awaitStatus(first, SessionStatus.RUNNING);
        var agent = agentProcesses();
        assertThat(agent).hasSize(1);

        service.shutdown();

        assertThat(status(first)).as("shutdown returns once the session has recorded its end").isEqualTo(SessionStatus.CANCELLED);
        assertThat(status(second)).isEqualTo(SessionStatus.CANCELLED);
        assertThat(statuses(second)).containsExactly(SessionStatus.QUEUED, SessionStatus.CANCELLED);
        assertThat(agent.getFirst().isAlive()).isFalse();
        assertThat(agentProcesses()).isEmpty();
        var late = open("ada");
        assertThat(status(late)).as("nothing starts after shutdown").isEqualTo(SessionStatus.CANCELLED);
    }

    private String open(String owner) {
        var id = SessionIds.newId();
        try {
            Files.createDirectories(volumes.localPath(id));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var context = new ExperimentContext("queued " + owner, "waits for an agent", null, null, null, List.of(), null);
        service.open(id, owner, context, List.of());
        return id;
    }

    private void release(String id) {
        try {
            Files.writeString(volumes.localPath(id).resolve("release"), "go");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private SessionStatus status(String id) {
        return store.get(id).map(SessionInfo::status).orElseThrow();
    }

    private void awaitStatus(String id, SessionStatus wanted) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> status(id) == wanted);
    }

    private List<SessionEvent> events(String id) throws InterruptedException {
        return events.read(id, 0, 10_000, Duration.ZERO).events();
    }

    private List<String> logs(String id) throws InterruptedException {
        return events(id).stream().filter(SessionEvent.Log.class::isInstance).map(e -> ((SessionEvent.Log) e).message()).toList();
    }

    private List<SessionStatus> statuses(String id) throws InterruptedException {
        return events(id).stream().filter(SessionEvent.Status.class::isInstance).map(e -> ((SessionEvent.Status) e).status()).toList();
    }

    private java.time.Instant startedAt(String id) throws InterruptedException {
        return statusTime(id, SessionStatus.RUNNING);
    }

    private java.time.Instant endedAt(String id) throws InterruptedException {
        return statusTime(id, SessionStatus.SUCCEEDED);
    }

    private java.time.Instant statusTime(String id, SessionStatus status) throws InterruptedException {
        return events(id).stream().filter(e -> e instanceof SessionEvent.Status s && s.status() == status)
                .map(SessionEvent::time).findFirst().orElseThrow(() -> new AssertionError(id + " was never " + status));
    }

    private static List<ProcessHandle> agentProcesses() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(TestAgents.WaitsForRelease.class.getName())).toList();
    }
}
