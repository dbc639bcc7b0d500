package dev.labdesk.worker.chat;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.Json;
import dev.labdesk.model.MessageStatus;
import dev.labdesk.model.Profile;
import dev.labdesk.model.SourcedProfile;
import dev.labdesk.worker.sqlite.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The conversation-store contract on the database, and what it keeps across the database being opened again. */
class SqliteConversationStoreTest extends ConversationStoreContract {
    private static final Instant T = Instant.parse("2026-12-02T00:00:00Z");
    @TempDir Path dir;
    private final List<Database> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    @Override
    ConversationStore store(int maxUsers, int maxMessagesPerUser) {
        try {
            return open(Files.createTempDirectory(dir, "db"), maxUsers, maxMessagesPerUser, Clock.systemUTC());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private SqliteConversationStore open(Path data, int maxUsers, int maxMessages, Clock clock) {
        var db = Database.open(data);
        opened.add(db);
        return new SqliteConversationStore(db, Json.newMapper(), clock, maxUsers, maxMessages);
    }

    @Test
    void conversationsProfilesAndTheirBoundsSurviveTheDatabaseBeingOpenedAgain() {
        var data = dir.resolve("data");
        var store = open(data, 2, 3, Clock.systemUTC());
        for (int i = 1; i <= 2; i++) {
            store.append("ada", ChatMessage.user("u" + i, "c" + i, "question " + i, T));
            store.append("ada", ChatMessage.assistant("a" + i, "c" + i, "answer " + i, MessageStatus.COMPLETE, T));
        }
        var profile = new SourcedProfile(new Profile("Ada", "postdoc", null, "microbiology", null, null, null, null, null),
                java.util.Map.of("name", "u1", "research_area", "u2"));
        store.saveProfile("ada", profile);
        store.append("bob", ChatMessage.user("b1", "cb1", "hello", T));
        opened.removeFirst().close();

        var again = open(data, 2, 3, Clock.systemUTC());
        assertThat(again.history("ada")).extracting(ChatMessage::id).containsExactly("a1", "u2", "a2");
        assertThat(again.userMessage("ada", "c1")).as("dropped by the bound of 3").isEmpty();
        assertThat(again.replyTo("ada", "c1")).map(ChatMessage::text).contains("answer 1");
        assertThat(again.replyTo("ada", "c2")).map(ChatMessage::text).contains("answer 2");
        assertThat(again.profile("ada")).isEqualTo(profile);
        assertThat(again.contains("bob")).isTrue();
        again.append("cy", ChatMessage.user("y1", "cy1", "third user", T));
        assertThat(again.contains("ada") && again.contains("bob")).as("one of two users goes for the third").isFalse();
        assertThat(again.contains("cy")).isTrue();
    }

    @Test
    void aConversationUntouchedForTheRetentionTimeGoes() {
        var clock = new java.util.concurrent.atomic.AtomicReference<>(T);
        var ticking = new Clock() {
            @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return clock.get(); }
        };
        var store = open(dir.resolve("data"), 10, 10, ticking);
        store.append("old", ChatMessage.user("o1", "co1", "long ago", T));
        clock.set(T.plus(Duration.ofDays(2)));
        store.append("new", ChatMessage.user("n1", "cn1", "today", T));
        assertThat(store.expire(T.plus(Duration.ofDays(1)))).isEqualTo(1);
        assertThat(store.contains("old")).isFalse();
        assertThat(store.history("old")).isEmpty();
        assertThat(store.history("new")).hasSize(1);
    }
}
