package dev.labdesk.worker;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scale-out, Modal and telemetry settings as the environment gives them. */
class ScaleSettingsTest {
    @Test
    void defaultsAreBoundedAndDocumented() {
        var scale = WorkerEnv.read(Map.of(), List.of()).scale();
        assertThat(scale.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(scale.eventsPerSession()).isEqualTo(200_000);
        assertThat(scale.redisTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(scale.modalBridge()).containsExactly("python3", "/opt/labdesk/modal/bridge.py");
        assertThat(scale.otlpEndpoint()).isEmpty();
    }

    @Test
    void valuesFromTheEnvironmentAndFlags() {
        var config = WorkerEnv.read(Map.of(
                "LABDESK_RETENTION", "2d", "LABDESK_EVENTS_PER_SESSION", "5000", "LABDESK_REDIS_TIMEOUT", "500ms",
                "LABDESK_MODAL_BRIDGE", "python3 /srv/bridge.py",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/",
                "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20abc,x-team=lab"), List.of("--redis-url=redis://r:6379"));
        var scale = config.scale();
        assertThat(scale.retention()).isEqualTo(Duration.ofDays(2));
        assertThat(scale.eventsPerSession()).isEqualTo(5000);
        assertThat(scale.redisTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(scale.modalBridge()).containsExactly("python3", "/srv/bridge.py");
        assertThat(scale.otlpEndpoint()).contains(URI.create("http://collector:4318/v1/traces"));
        assertThat(scale.otlpHeaders()).containsEntry("Authorization", "Bearer abc").containsEntry("x-team", "lab");
        assertThat(scale.toString()).doesNotContain("abc");
        assertThat(config.redisUrl()).contains(URI.create("redis://r:6379"));
    }

    @Test
    void badValuesStopTheStartWithOneLineThatShowsNoSecret() {
        assertThatThrownBy(() -> WorkerEnv.read(Map.of("LABDESK_RETENTION", "forever"), List.of()))
                .hasMessage("LABDESK_RETENTION must be seconds or a duration like 90m, 1h or 7d, got 'forever'");
        assertThatThrownBy(() -> WorkerEnv.read(Map.of("LABDESK_EVENTS_PER_SESSION", "3"), List.of()))
                .hasMessageContaining("LABDESK_EVENTS_PER_SESSION must be a whole number ≥ 10");
        assertThatThrownBy(() -> WorkerEnv.read(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "secret-without-key"), List.of()))
                .hasMessage("OTEL_EXPORTER_OTLP_HEADERS must look like key=value,key2=value2 (value not shown)");
    }
}
