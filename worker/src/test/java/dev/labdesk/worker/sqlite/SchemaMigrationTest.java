package dev.labdesk.worker.sqlite;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.MessageStatus;
import dev.labdesk.model.Profile;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.model.SourcedProfile;
import dev.labdesk.worker.chat.store.SqliteConversationStore;
import dev.labdesk.worker.events.SqliteEventLog;
import dev.labdesk.worker.session.RestartRecovery;
import dev.labdesk.worker.session.SqliteSessionStore;
import dev.labdesk.worker.upload.PendingUploadStore;
import dev.labdesk.worker.upload.SqlitePendingUploadStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database of schema version 1 (a checked-in fixture) is migrated forward at start with everything it held;
 * one of version 3 (made by the released steps) gains the pending uploads' tables of version 4; one of
 * version 4 keeps its conversations and profiles when version 5 moves the profiles to their own table; one of
 * version 5 keeps them when version 6 adds the chat journal, and goes on appending to them through it.
 */
class SchemaMigrationTest {
    static final String OLD = "0b5e1c2a-5f0e-4c7e-9d1a-3f2b6c7d8e90";
    static final String CUT = "7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e";
    static final String TOKEN_HASH = "5d41402abc4b2a76b9719d911017c592aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    @TempDir Path dir;

    @Test
    void aVersionOneDatabaseIsMigratedKeepingItsSessionsEventsAndTokens() throws Exception {
        var data = Files.createDirectories(dir.resolve("data"));
        var fixture = new String(Objects.requireNonNull(getClass().getResourceAsStream("/sqlite/v1-fixture.sql")).readAllBytes(), StandardCharsets.UTF_8);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Database.FILE)); var s = c.createStatement()) {
            for (var statement : fixture.replaceAll("(?m)^--.*$", "").split(";\n")) if (!statement.isBlank()) s.execute(statement);
        }
        var mapper = Json.newMapper();
        try (var db = Database.open(data)) {
            assertThat((long) db.<Long>read(h -> h.queryLong("PRAGMA user_version", -1))).isEqualTo(Schema.VERSION).isGreaterThan(1);
            var sessions = new SqliteSessionStore(db, mapper, Clock.systemUTC());
            var old = sessions.get(OLD).orElseThrow();
            assertThat(old.owner()).as("sessions of v1 were the local user's").isEqualTo("local");
            assertThat(old.status()).isEqualTo(SessionStatus.SUCCEEDED);
            assertThat(old.context().name()).isEqualTo("Old run");
            assertThat(sessions.manifest(OLD)).singleElement().satisfies(f -> assertThat(f.path()).isEqualTo("a.csv"));
            assertThat(sessions.listOwnedBy("local", 10)).extracting(s -> s.sessionId()).containsExactly(CUT, OLD);
            assertThat(sessions.bytesOwnedBy("local")).isEqualTo(49);
            assertThat(sessions.sessionForToken(TOKEN_HASH)).contains(CUT);

            var events = new SqliteEventLog(db, 1_000, Clock.systemUTC(), mapper);
            var read = events.read(OLD, 0, 10, Duration.ZERO);
            assertThat(read.events()).extracting(SessionEvent::seq).containsExactly(1L, 2L);
            assertThat(((SessionEvent.Status) read.events().getLast()).status()).isEqualTo(SessionStatus.SUCCEEDED);

            // the v1 worker stopped with a run going: the recovery at start ends it
            var outcome = new RestartRecovery(sessions, events, data, mapper, Clock.systemUTC(), java.util.Set.of()).recover();
            assertThat(outcome.failed()).containsExactly(CUT);
            assertThat(sessions.get(CUT).orElseThrow().status()).isEqualTo(SessionStatus.FAILED);
            assertThat(sessions.sessionForToken(TOKEN_HASH)).isEmpty();
            assertThat(events.read(CUT, 0, 10, Duration.ZERO).events()).extracting(SessionEvent::type).containsExactly("agent_error", "status");
        }
        try (var db = Database.open(data)) { // opening a current database again changes nothing
            assertThat((long) db.<Long>read(h -> h.queryLong("SELECT count(*) FROM sessions", -1))).isEqualTo(2);
        }
    }

    @Test
    void aVersionThreeDatabaseIsMigratedKeepingItsSessionsAndThenKeepsPendingUploads() throws Exception {
        var data = Files.createDirectories(dir.resolve("v3"));
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Database.FILE)); var s = c.createStatement()) {
            for (var step : Schema.STEPS.subList(0, 3)) for (var sql : step) s.execute(sql);
            s.execute("PRAGMA user_version = 3");
            s.execute("""
                    INSERT INTO sessions (id, status, created_at, updated_at, bytes, info, manifest, owner)
                    SELECT id, status, created_at, updated_at, bytes, info, manifest, 'ada' FROM (SELECT '%s' AS id, 'succeeded' AS status,
                      1 AS created_at, 2 AS updated_at, 0 AS bytes, '{}' AS info, '[]' AS manifest)""".formatted(OLD));
        }
        var mapper = Json.newMapper();
        var context = new ExperimentContext("Scans", "v4", null, null, null, List.of("x"), Map.of("n", 1));
        var created = Instant.parse("2026-01-02T03:04:05Z");
        try (var db = Database.open(data)) {
            assertThat((long) db.<Long>read(h -> h.queryLong("PRAGMA user_version", -1))).isEqualTo(Schema.VERSION);
            assertThat((long) db.<Long>read(h -> h.queryLong("SELECT count(*) FROM sessions WHERE owner = 'ada'", -1))).isEqualTo(1);
            var uploads = new SqlitePendingUploadStore(db, mapper);
            uploads.planned(new PendingUploadStore.UploadRecord("u-1", CUT, "ada", context, created, created.plusSeconds(60),
                    List.of(new PendingUploadStore.FileRecord("f-1", 0, "a/b.bin", 100, "ab".repeat(32), 0),
                            new PendingUploadStore.FileRecord("f-2", 1, "c.txt", 0, null, 0))));
            uploads.confirmed("u-1", "f-1", 40, created.plusSeconds(120));
        }
        try (var db = Database.open(data)) {
            var all = new SqlitePendingUploadStore(db, mapper).all();
            assertThat(all).singleElement().satisfies(u -> {
                assertThat(u.sessionId()).isEqualTo(CUT);
                assertThat(u.owner()).isEqualTo("ada");
                assertThat(u.context()).isEqualTo(context);
                assertThat(u.createdAt()).isEqualTo(created);
                assertThat(u.expiresAt()).isEqualTo(created.plusSeconds(120));
                assertThat(u.files()).extracting(f -> f.path() + ":" + f.size() + ":" + f.confirmed() + ":" + f.sha256())
                        .containsExactly("a/b.bin:100:40:" + "ab".repeat(32), "c.txt:0:0:null");
            });
            new SqlitePendingUploadStore(db, mapper).forget("u-1");
            assertThat(new SqlitePendingUploadStore(db, mapper).all()).isEmpty();
            assertThat((long) db.<Long>read(h -> h.queryLong("SELECT count(*) FROM pending_files", -1))).isZero();
        }
    }

    @Test
    void aVersionFourDatabaseIsMigratedToFiveKeepingConversationsAndProfilesWithoutTheUnusedIndex() throws Exception {
        var data = Files.createDirectories(dir.resolve("v4"));
        var mapper = Json.newMapper();
        var t = Instant.parse("2026-01-02T03:04:05Z");
        var question = ChatMessage.user("u1", "c1", "question", t);
        var answer = ChatMessage.assistant("a1", "c1", "answer", MessageStatus.COMPLETE, t);
        var profile = new SourcedProfile(new Profile("Ada", "postdoc", null, "microbiology", null, null, null, null, null), Map.of("name", "c1"));
        long touched = System.currentTimeMillis() * 1_000;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Database.FILE)); var s = c.createStatement()) {
            for (var step : Schema.STEPS.subList(0, 4)) for (var sql : step) s.execute(sql);
            s.execute("PRAGMA user_version = 4");
            try (var u = c.prepareStatement("INSERT INTO chat_users (user_id, touched, profile) VALUES (?, ?, ?)");
                 var m = c.prepareStatement("INSERT INTO chat_messages (user_id, n, about, from_user, json) VALUES (?, ?, ?, ?, ?)")) {
                u.setString(1, "ada"); u.setLong(2, touched); u.setString(3, mapper.writeValueAsString(profile)); u.execute();
                u.setString(1, "bob"); u.setLong(2, touched); u.setString(3, null); u.execute();
                int n = 0;
                for (var msg : List.of(question, answer)) {
                    m.setString(1, "ada"); m.setLong(2, ++n); m.setString(3, "c1"); m.setInt(4, msg.fromUser() ? 1 : 0);
                    m.setString(5, mapper.writeValueAsString(msg)); m.execute();
                }
            }
        }
        try (var db = Database.open(data)) {
            assertThat((long) db.<Long>read(h -> h.queryLong("PRAGMA user_version", -1))).isEqualTo(Schema.VERSION);
            assertThat((long) db.<Long>read(h -> h.queryLong("SELECT count(*) FROM sqlite_master WHERE name = 'chat_messages_about'", -1))).isZero();
            assertThat((long) db.<Long>read(h -> h.queryLong("SELECT count(*) FROM pragma_table_info('chat_users') WHERE name = 'profile'", -1)))
                    .as("the profile is no longer rewritten with every touch").isZero();
            var store = new SqliteConversationStore(db, mapper, Clock.systemUTC());
            assertThat(store.history("ada")).containsExactly(question, answer);
            assertThat(store.replyTo("ada", "c1")).contains(answer);
            assertThat(store.profile("ada")).isEqualTo(profile);
            assertThat(store.contains("bob")).isTrue();
            assertThat(store.profile("bob")).isEqualTo(SourcedProfile.EMPTY);
            store.saveProfile("bob", profile);
            store.flush("bob");
        }
        try (var db = Database.open(data)) {
            var store = new SqliteConversationStore(db, mapper, Clock.systemUTC());
            assertThat(store.profile("bob")).isEqualTo(profile);
            assertThat(store.history("ada")).containsExactly(question, answer);
        }
    }

    @Test
    void aVersionFiveDatabaseIsMigratedToSixKeepingConversationsProfilesAndBoundsAndGoesOnThroughTheJournal() throws Exception {
        var data = Files.createDirectories(dir.resolve("v5"));
        var mapper = Json.newMapper();
        var t = Instant.parse("2026-01-02T03:04:05Z");
        var profile = new SourcedProfile(new Profile("Ada", "postdoc", null, "microbiology", null, null, null, null, null), Map.of("name", "c1"));
        var held = new java.util.ArrayList<ChatMessage>();
        long touched = System.currentTimeMillis() * 1_000;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Database.FILE)); var s = c.createStatement()) {
            for (var step : Schema.STEPS.subList(0, 5)) for (var sql : step) s.execute(sql);
            s.execute("PRAGMA user_version = 5");
            try (var u = c.prepareStatement("INSERT INTO chat_users (user_id, touched) VALUES (?, ?)");
                 var p = c.prepareStatement("INSERT INTO chat_profiles (user_id, json) VALUES (?, ?)");
                 var m = c.prepareStatement("INSERT INTO chat_messages (user_id, n, about, from_user, json) VALUES (?, ?, ?, ?, ?)")) {
                for (var user : List.of("ada", "bob")) {
                    u.setString(1, user); u.setLong(2, touched); u.execute();
                }
                p.setString(1, "ada"); p.setString(2, mapper.writeValueAsString(profile)); p.execute();
                for (int n = 1; n <= 200; n++) { // at the default bound of 200: the next message drops the oldest
                    var cid = "c" + n;
                    var msg = n % 2 == 1 ? ChatMessage.user(cid, cid, "question " + n, t) : ChatMessage.assistant("a" + n, "c" + (n - 1), "answer " + n, MessageStatus.COMPLETE, t);
                    held.add(msg);
                    m.setString(1, "ada"); m.setLong(2, n); m.setString(3, msg.fromUser() ? cid : "c" + (n - 1)); m.setInt(4, msg.fromUser() ? 1 : 0);
                    m.setString(5, mapper.writeValueAsString(msg)); m.execute();
                }
            }
        }
        var next = ChatMessage.user("c201", "c201", "question 201", t);
        try (var db = Database.open(data)) {
            assertThat((long) db.<Long>read(h -> h.queryLong("PRAGMA user_version", -1))).isEqualTo(6);
            assertThat((long) db.<Long>read(h -> h.queryLong("SELECT count(*) FROM chat_journal", -1))).isZero();
            var store = new SqliteConversationStore(db, mapper, Clock.systemUTC());
            assertThat(store.history("ada")).containsExactlyElementsOf(held);
            assertThat(store.replyTo("ada", "c199")).contains(held.get(199));
            assertThat(store.profile("ada")).isEqualTo(profile);
            assertThat(store.contains("bob")).isTrue();
            store.append("ada", next);
            store.flush("ada");
            assertThat(store.history("ada")).hasSize(200).first().isEqualTo(held.get(1));
        }
        try (var db = Database.open(data)) {
            var store = new SqliteConversationStore(db, mapper, Clock.systemUTC());
            assertThat((long) db.<Long>read(h -> h.queryLong("SELECT count(*) FROM chat_journal", -1))).as("folded when the store opens").isZero();
            assertThat((long) db.<Long>read(h -> h.queryLong("SELECT count(*) FROM chat_messages WHERE user_id = 'ada'", -1))).isEqualTo(200);
            var expected = new java.util.ArrayList<>(held.subList(1, 200));
            expected.add(next);
            assertThat(store.history("ada")).containsExactlyElementsOf(expected);
            assertThat(store.userMessage("ada", "c1")).as("the oldest went with the bound").isEmpty();
            assertThat(store.profile("ada")).isEqualTo(profile);
            assertThat(store.history("bob")).isEmpty();
        }
    }
}
