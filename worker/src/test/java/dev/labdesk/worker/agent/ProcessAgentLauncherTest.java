package dev.labdesk.worker.agent;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.AgentRun.AgentExit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The child-JVM launcher with real processes that succeed, fail, crash, hang and get cancelled. */
class ProcessAgentLauncherTest {
    @TempDir Path dataDir;
    @TempDir Path volume;

    private ProcessAgentRun launch(Class<?> main, Duration timeout) throws Exception {
        var launcher = new ProcessAgentLauncher(WorkerConfig.local(dataDir), main.getName());
        var context = new ExperimentContext("launcher test", "real child processes", null, null, null, List.of(), null);
        var job = new AgentJob("s-" + main.getSimpleName(), "dataset-volume-x", volume, context,
                URI.create("http://127.0.0.1:9/log"), "secret-run-token", timeout);
        return (ProcessAgentRun) launcher.launch(job);
    }

    private static AgentExit await(AgentRun run) throws Exception {
        return run.exit().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aCleanExitSucceedsAndTheTokenIsInTheEnvironmentOnly() throws Exception {
        var run = launch(TestAgents.ChecksItsStart.class, Duration.ofMinutes(1));
        var exit = await(run);
        assertThat(exit.kind()).as(exit.detail() + " " + run.outputTail()).isEqualTo(AgentExit.Kind.SUCCEEDED);
        assertThat(exit.code()).isZero();
        assertThat(Files.readString(dataDir.resolve("agents/s-ChecksItsStart.log"))).contains("start ok");
        assertThat(Files.readString(dataDir.resolve("agents/s-ChecksItsStart/context.json"))).contains("launcher test");
    }

    @Test
    void aNonZeroExitFailsWithItsCodeAndLastLine() throws Exception {
        var run = launch(TestAgents.ExitsThree.class, Duration.ofMinutes(1));
        var exit = await(run);
        assertThat(exit.kind()).isEqualTo(AgentExit.Kind.FAILED);
        assertThat(exit.code()).isEqualTo(3);
        assertThat(exit.detail()).isEqualTo("agent exited with code 3: boom: the plate reader is unplugged");
        assertThat(Files.readString(dataDir.resolve("agents/s-ExitsThree.log")))
                .contains("reading plates", "boom: the plate reader is unplugged");
        assertThat(run.handle().isAlive()).isFalse();
    }

    @Test
    void aCrashFailsWithTheCrashMessage() throws Exception {
        var run = launch(TestAgents.Crashes.class, Duration.ofMinutes(1));
        var exit = await(run);
        assertThat(exit.kind()).isEqualTo(AgentExit.Kind.FAILED);
        assertThat(exit.code()).isEqualTo(134);
        assertThat(exit.detail()).isEqualTo("agent exited with code 134: fatal: native code went away");
    }

    @Test
    void aHangingAgentTimesOutAndLeavesNoProcessBehind() throws Exception {
        var run = launch(TestAgents.Hangs.class, Duration.ofSeconds(2));
        var child = awaitChild(run);
        var exit = await(run);
        assertThat(exit.kind()).isEqualTo(AgentExit.Kind.TIMED_OUT);
        assertThat(exit.detail()).isEqualTo("agent ran longer than 2s and was stopped");
        assertGone(run.handle());
        assertGone(child);
        assertThat(dataDir.resolve("agents/s-Hangs/tmp")).doesNotExist();
    }

    @Test
    void cancelStopsTheAgentAndItsChildren() throws Exception {
        var run = launch(TestAgents.Hangs.class, Duration.ofHours(1));
        var child = awaitChild(run);
        long t0 = System.nanoTime();
        run.cancel();
        var exit = await(run);
        assertThat(exit.kind()).isEqualTo(AgentExit.Kind.CANCELLED);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(ProcessAgentRun.GRACE.multipliedBy(3));
        assertGone(run.handle());
        assertGone(child);
        run.cancel(); // a second cancel is harmless
        assertThat(run.exit().get().kind()).isEqualTo(AgentExit.Kind.CANCELLED);
    }

    @Test
    void theAgentRunsAtALowerCpuPriorityThanTheWorker() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/nice"))
                && java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/stat")), "needs nice(1) and /proc");
        var run = launch(TestAgents.Hangs.class, Duration.ofHours(1));
        try {
            awaitChild(run);
            assertThat(niceness(run.handle().pid())).isEqualTo(niceness(ProcessHandle.current().pid()) + 10);
            assertThat(run.handle().info().command().orElse("")).as("nice exec'd java: the pid is the agent's").endsWith("java");
        } finally {
            run.cancel();
            await(run);
        }
    }

    @Test
    void theAgentRunsInTheIdleSchedulingClassWhereChrtMayPutItThere() throws Exception {
        var chrt = java.nio.file.Path.of("/usr/bin/chrt");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(chrt)
                && java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/stat")), "needs chrt(1) and /proc");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder(chrt.toString(), "--idle", "0", "true").start().waitFor() == 0,
                "this system refuses the idle class");
        var run = launch(TestAgents.Hangs.class, Duration.ofHours(1));
        try {
            awaitChild(run);
            assertThat(statField(run.handle().pid(), 41)).as("policy: SCHED_IDLE").isEqualTo(5);
            assertThat(statField(ProcessHandle.current().pid(), 41)).as("the worker's own policy is untouched").isEqualTo(0);
            assertThat(run.handle().info().command().orElse("")).as("chrt exec'd java: the pid is the agent's").endsWith("java");
        } finally {
            run.cancel();
            await(run);
        }
    }

    private static int niceness(long pid) throws Exception {
        return statField(pid, 19);
    }

    /** Field {@code n} (1-based, as in proc(5)) of /proc/PID/stat, counted after the command name (which may contain spaces). */
    private static int statField(long pid, int n) throws Exception {
        var stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[n - 3]);
    }

    @Test
    void durationsReadAsConfigured() {
        assertThat(ProcessAgentRun.human(Duration.ofHours(1))).isEqualTo("1h0m");
        assertThat(ProcessAgentRun.human(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(ProcessAgentRun.human(Duration.ofSeconds(330))).isEqualTo("5m30s");
        assertThat(ProcessAgentRun.human(Duration.ofMillis(300))).isEqualTo("300ms");
    }

    /** The grandchild {@code sleep}, once the agent has started it. */
    private static ProcessHandle awaitChild(ProcessAgentRun run) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (var line : run.outputTail())
                if (line.startsWith("child ")) return ProcessHandle.of(Long.parseLong(line.substring(6))).orElseThrow();
            Thread.sleep(20);
        }
        throw new AssertionError("the agent never started its child: " + run.outputTail());
    }

    private static void assertGone(ProcessHandle p) throws Exception {
        // a zombie still counts as alive for ProcessHandle, so this also proves the process was reaped
        p.onExit().get(5, TimeUnit.SECONDS);
        assertThat(p.isAlive()).as("process " + p.pid() + " is still there").isFalse();
        assertThat(ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }
}
