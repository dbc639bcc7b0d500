package dev.labdesk.worker;

import dev.labdesk.worker.auth.ApiKey;
import dev.labdesk.worker.auth.AuthSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The config as values: its string form (which goes to logs) and the copies tests and the desktop make of it. */
class WorkerConfigTest {
    @TempDir
    Path dataDir;

    @Test
    void theStringFormShowsEachSecretOnlyAsSetAndEveryUrlWithoutItsPassword() {
        var keys = new AuthSettings(AuthSettings.Mode.KEYS, List.of(ApiKey.plain("ada", "ada-key-0123456789abcdef", true)),
                Set.of(), List.of(), Optional.of("cookie-secret-0123456789"));
        var config = WorkerConfig.local(dataDir).with(b -> b
                .openAi("sk-openai-secret", URI.create("https://llm:basepass@llm.example/v1"), "gpt-test")
                .redis(URI.create("rediss://:redispass@cache:6380/2"))
                .logfireToken("pylf_v1_eu_logfire-secret")
                .otlp(URI.create("https://otel:otelpass@collector.example/v1/traces"), Map.of("Authorization", "Bearer otlp-secret"))
                .publicUrl(URI.create("https://lab:pubpass@lab.example"))
                .auth(keys));

        assertThat(config.toString())
                .doesNotContain("sk-openai-secret", "basepass", "redispass", "logfire-secret", "otelpass", "otlp-secret", "pubpass",
                        "ada-key-0123456789abcdef", keys.keys().getFirst().sha256Hex(), "cookie-secret-0123456789")
                .contains("openaiApiKey=(set)", "logfireToken=(set)", "rediss://cache:6380/2", "https://llm.example/v1",
                        "https://collector.example/v1/traces", "otlpHeaders=[Authorization]", "https://lab.example", "ada", "gpt-test");
        assertThat(WorkerConfig.local(dataDir).toString()).contains("openaiApiKey=(unset)", "logfireToken=(unset)", "redisUrl=Optional.empty");
    }

    @Test
    void aCopyChangesWhatItIsToldAndKeepsEverythingElse() {
        var local = WorkerConfig.local(dataDir);
        var changed = local.with(b -> b.port(9000).agentTimeout(Duration.ofMinutes(5)).retention(Duration.ofHours(2))
                .modal(List.of("bridge"), List.of("java", "-cp", "x.jar")));

        assertThat(changed.port()).isEqualTo(9000);
        assertThat(changed.agentTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(changed.scale().retention()).isEqualTo(Duration.ofHours(2));
        assertThat(changed.scale().modalBridge()).containsExactly("bridge");
        assertThat(changed.scale().eventsPerSession()).isEqualTo(local.scale().eventsPerSession());
        assertThat(changed.with(b -> b.port(local.port()).agentTimeout(local.agentTimeout()).retention(local.scale().retention())
                .modal(local.scale().modalBridge(), local.scale().modalAgentJava())))
                .as("undoing each change gives back the config it started from").isEqualTo(local);
        assertThat(local.withOpenAi("sk-x", null, null).openaiModel()).isEqualTo(WorkerConfig.DEFAULT_MODEL);
        assertThat(local.withRedis(URI.create("redis://127.0.0.1:6379")).redisUrl()).contains(URI.create("redis://127.0.0.1:6379"));
    }
}
