package dev.labdesk.worker.agent;

import dev.labdesk.model.ExperimentContext;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What an agent run needs: the volume (its name, and a local path where it has one), the
 * experiment context, the URL it posts its log to and the bearer token that lets it do so.
 */
public record AgentJob(String sessionId, String volume, Path volumePath, ExperimentContext context,
                       URI logUrl, String token, Duration timeout) {
    @Override
    public String toString() {
        // the token is a credential: keep it out of logs
        return "AgentJob[" + sessionId + ", " + volume + "]";
    }
}
