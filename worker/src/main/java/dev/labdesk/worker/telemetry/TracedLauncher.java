package dev.labdesk.worker.telemetry;

import dev.labdesk.worker.agent.AgentJob;
import dev.labdesk.worker.agent.AgentLauncher;
import dev.labdesk.worker.agent.AgentRun;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An agent run as one span, from launch to exit, whatever launches it (a child JVM or a Modal Sandbox). */
public final class TracedLauncher implements AgentLauncher {
    private final AgentLauncher launcher;
    private final Tracer tracer;

    public TracedLauncher(AgentLauncher launcher, Tracer tracer) {
        this.launcher = launcher;
        this.tracer = tracer;
    }

    @Override
    public String kind() {
        return launcher.kind();
    }

    @Override
    public AgentRun launch(AgentJob job) throws IOException {
        var span = tracer.spanBuilder("agent run").setAttribute("labdesk.session_id", job.sessionId())
                .setAttribute("labdesk.agent.launcher", launcher.kind()).startSpan();
        AgentRun run;
        try {
            run = launcher.launch(job);
        } catch (IOException | RuntimeException e) {
            TracedChat.fail(span, e);
            span.end();
            throw e;
        }
        run.exit().whenComplete((exit, failure) -> {
            if (exit != null) {
                span.setAttribute("labdesk.agent.exit", exit.kind().name().toLowerCase(Locale.ROOT));
                span.setAttribute("labdesk.agent.exit_code", exit.code());
                if (exit.kind() != AgentRun.AgentExit.Kind.SUCCEEDED) span.setStatus(StatusCode.ERROR, exit.detail());
            } else {
                span.setStatus(StatusCode.ERROR, String.valueOf(failure));
            }
            span.end();
        });
        return run;
    }

    @Override
    public boolean runsOutliveWorker() {
        return launcher.runsOutliveWorker();
    }

    @Override
    public Map<String, AgentRun.AgentExit> endedRuns(List<String> sessionIds) throws IOException {
        return launcher.endedRuns(sessionIds);
    }

    @Override
    public void stop(String sessionId) throws IOException {
        launcher.stop(sessionId);
    }
}
