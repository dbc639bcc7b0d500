package dev.labdesk.worker.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.model.Sha256;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.WorkerEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static dev.labdesk.worker.auth.AuthTestWorkers.call;
import static dev.labdesk.worker.auth.AuthTestWorkers.get;
import static dev.labdesk.worker.auth.AuthTestWorkers.withKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who may call the worker: keys from the environment, the data dir's token, and the routes open to anyone. */
class CredentialsTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @TempDir Path dataDir;

    @Test
    void withNoKeysConfiguredTheWorkerMakesOneOwnerOnlyTokenThatSurvivesRestarts() throws Exception {
        var config = WorkerEnv.read(Map.of("LABDESK_DATA_DIR", dataDir.toString(), "LABDESK_PORT", "0"), List.of());
        assertThat(config.auth().mode()).isEqualTo(AuthSettings.Mode.TOKEN);
        String first;
        try (var worker = new Worker(config).start()) {
            var token = dataDir.resolve("token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
            first = Files.readString(token).strip();
            assertThat(first).hasSizeGreaterThanOrEqualTo(40);

            var refused = call(get(worker, "/sessions").build());
            assertThat(refused.code()).isEqualTo(401);
            assertThat(refused.headers().get("WWW-Authenticate")).startsWith("Bearer");
            assertThat(refused.headers().get("Content-Type")).startsWith("application/problem+json");
            assertThat(JSON.readTree(refused.body()).path("status").asInt()).isEqualTo(401);

            assertThat(call(withKey(get(worker, "/sessions"), "not-the-token-at-all").build()).code()).isEqualTo(401);
            assertThat(call(withKey(get(worker, "/sessions"), first).build()).code()).isEqualTo(200);
            var me = JSON.readTree(call(withKey(get(worker, "/auth/me"), first).build()).body());
            assertThat(me.path("user_id").asText()).isEqualTo("local");
            assertThat(me.path("auth").asText()).isEqualTo("token");
        }
        try (var again = new Worker(config).start()) {
            assertThat(Files.readString(dataDir.resolve("token")).strip()).isEqualTo(first);
            assertThat(call(withKey(get(again, "/sessions"), first).build()).code()).isEqualTo(200);
        }
    }

    @Test
    void configuredKeysAuthenticateTheirUsersPlainOrHashedWithAnAdmin() throws Exception {
        var bobKey = "bob-has-a-long-key-42";
        var bobHash = Sha256.hexOf(bobKey);
        var config = WorkerEnv.read(Map.of("LABDESK_DATA_DIR", dataDir.toString(), "LABDESK_PORT", "0",
                "LABDESK_API_KEYS", "ada:ada-key-0123456789abcdef, bob:sha256:" + bobHash + ",root:root-key-0123456789abcdef:admin"), List.of());
        assertThat(config.auth().mode()).isEqualTo(AuthSettings.Mode.KEYS);
        try (var worker = new Worker(config).start()) {
            assertThat(Files.exists(dataDir.resolve("token"))).as("no token is made when keys are configured").isFalse();
            for (var who : List.of(List.of("ada-key-0123456789abcdef", "ada", "false"), List.of(bobKey, "bob", "false"),
                    List.of("root-key-0123456789abcdef", "root", "true"))) {
                var answer = call(withKey(get(worker, "/auth/me"), who.get(0)).build());
                assertThat(answer.code()).isEqualTo(200);
                var me = JSON.readTree(answer.body());
                assertThat(me.path("user_id").asText()).isEqualTo(who.get(1));
                assertThat(me.path("admin").asBoolean()).isEqualTo(Boolean.parseBoolean(who.get(2)));
            }
            // the hash itself is not a key
            assertThat(call(withKey(get(worker, "/auth/me"), bobHash).build()).code()).isEqualTo(401);
        }
    }

    @Test
    void badKeyEntriesStopTheStartWithOneLineThatNeverShowsAKey() {
        var secret = "s3cret-value-never-shown";
        for (var entries : List.of("ada", "ada:short", "ada:sha256:abc", "bad user:" + secret, "ada:" + secret + ":root",
                "ada:" + secret + ",bob:" + secret)) {
            assertThatThrownBy(() -> WorkerEnv.read(Map.of("LABDESK_API_KEYS", entries), List.of()))
                    .isInstanceOf(WorkerConfig.ConfigException.class)
                    .hasMessageStartingWith("LABDESK_API_KEYS")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret).doesNotContain("\n"));
        }
    }

    @Test
    void aWebSocketUpgradeWithoutAKeyIsRefusedWithAProblem() throws Exception {
        try (var worker = AuthTestWorkers.start(dataDir, AuthTestWorkers.adaAndBob())) {
            var upgrade = get(worker, "/chat/ada").header("Connection", "Upgrade").header("Upgrade", "websocket")
                    .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
            var refused = call(upgrade.build());
            assertThat(refused.code()).isEqualTo(401);
            assertThat(refused.headers().get("WWW-Authenticate")).startsWith("Bearer");
            assertThat(JSON.readTree(refused.body()).path("status").asInt()).isEqualTo(401);
        }
    }

    @Test
    void credentialsCanBeTurnedOffOnlyOnLoopback() {
        assertThat(WorkerEnv.read(Map.of("LABDESK_AUTH", "none"), List.of()).auth().mode()).isEqualTo(AuthSettings.Mode.NONE);
        assertThatThrownBy(() -> WorkerEnv.read(Map.of("LABDESK_AUTH", "none", "LABDESK_HOST", "0.0.0.0"), List.of()))
                .hasMessageContaining("LABDESK_AUTH=none is only allowed on a loopback address");
        assertThatThrownBy(() -> WorkerEnv.read(Map.of("LABDESK_AUTH", "off"), List.of()))
                .hasMessageContaining("LABDESK_AUTH must be 'none' or unset");
    }

    @Test
    void onModalKeysAreRequired() {
        assertThatThrownBy(() -> WorkerEnv.read(Map.of("LABDESK_AGENT", "modal"), List.of()))
                .hasMessageContaining("on Modal, set LABDESK_API_KEYS");
    }

    @Test
    void healthPageAssetsAndTheLogSinkNeedNoKeyAndAStrangerSeesOnlyTheStatus() throws Exception {
        try (var worker = AuthTestWorkers.start(dataDir, AuthTestWorkers.adaAndBob())) {
            var anonymous = call(get(worker, "/health").build());
            assertThat(anonymous.code()).isEqualTo(200);
            assertThat(JSON.readTree(anonymous.body()).properties()).extracting(Map.Entry::getKey).containsExactly("status");
            assertThat(anonymous.body()).doesNotContain(dataDir.toString()).doesNotContain("free");
            var signedIn = JSON.readTree(call(withKey(get(worker, "/health"), AuthTestWorkers.ADA_KEY).build()).body());
            assertThat(signedIn.path("dependencies").has("volumes")).isTrue();

            assertThat(call(get(worker, "/").build()).code()).isEqualTo(200);
            assertThat(call(get(worker, "/assets/app.js").build()).code()).isEqualTo(200);
            // the log sink answers for itself: a run token is missing, not a user's key
            var log = call(get(worker, "/log").post(okhttp3.RequestBody.create("[]", okhttp3.MediaType.get("application/json"))).build());
            assertThat(log.code()).isEqualTo(401);
            assertThat(log.body()).doesNotContain("Authorization: Bearer <key>");
        }
    }

    @Test
    void secretsNeverShowInTheConfigsStringFormOrItsErrors() {
        var config = WorkerEnv.read(Map.of("OPENAI_API_KEY", "sk-openai-secret", "REDIS_URL", "redis://:redispass@cache:6379/0",
                "LOGFIRE_TOKEN", "pylf_v1_eu_logfire-secret", "LABDESK_API_KEYS", "ada:ada-key-0123456789abcdef",
                "LABDESK_SESSION_SECRET", "cookie-secret-0123456789"), List.of());
        assertThat(config.toString()).doesNotContain("sk-openai-secret", "redispass", "logfire-secret", "ada-key-0123456789abcdef",
                "cookie-secret-0123456789").contains("redis://cache:6379/0");
        assertThatThrownBy(() -> WorkerEnv.read(Map.of("OPENAI_BASE_URL", "ftp://user:pw@host/"), List.of()))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw@"));
    }
}
