package dev.labdesk.worker.chat.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.Json;
import dev.labdesk.model.MessageStatus;
import dev.labdesk.model.Profile;
import dev.labdesk.model.SourcedProfile;
import dev.labdesk.worker.sqlite.Database;
import dev.labdesk.worker.sqlite.StoreUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The conversation-store contract on the database, and what it keeps across the database being opened again. */
class SqliteConversationStoreTest extends ConversationStoreContract {
    private static final ObjectMapper MAPPER = Json.newMapper();
    @TempDir Path dir;
    private final List<Database> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    @Override
    ConversationStore store(Bounds bounds) {
        try {
            return open(Files.createTempDirectory(dir, "db"), bounds, clock);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    long bytes(ChatMessage message) {
        try {
            return MAPPER.writeValueAsBytes(message).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private SqliteConversationStore open(Path data, Bounds b, Clock clock) {
        var db = Database.open(data);
        opened.add(db);
        return new SqliteConversationStore(db, MAPPER, clock, b.maxUsers(), b.maxMessagesPerUser(), b.bytesPerUser(), b.bytesTotal(), b.idle());
    }

    /** A store on {@code db} that never folds its journal by itself (only at open and before an expiry). */
    private SqliteConversationStore unfolded(Database db, int maxMessages) {
        return new SqliteConversationStore(db, MAPPER, Clock.systemUTC(), 100, maxMessages, 64 << 10, 1L << 30, Duration.ofDays(1), Duration.ofDays(365));
    }

    private static long count(Database db, String sql) {
        return db.read(h -> h.queryLong(sql, -1));
    }

    /** Five turns of {@code user}: ten messages, each user message before its reply. */
    private static List<String> fiveTurns(ConversationStore store, String user) {
        var ids = new ArrayList<String>();
        for (int i = 1; i <= 5; i++) {
            store.append(user, ChatMessage.user(user + "-c" + i, user + "-c" + i, "question " + i, T));
            store.append(user, ChatMessage.assistant(user + "-a" + i, user + "-c" + i, "answer " + i, MessageStatus.COMPLETE, T));
            ids.add(user + "-c" + i);
            ids.add(user + "-a" + i);
        }
        return ids;
    }

    @Test
    void messagesACrashLeftInTheJournalAreFoldedOnceAtTheNextOpenWithinTheirBound() {
        var data = dir.resolve("data");
        var db = Database.open(data);
        opened.add(db);
        var store = unfolded(db, 4);
        var ada = fiveTurns(store, "ada");
        var bob = fiveTurns(store, "bob");
        assertThat(count(db, "SELECT count(*) FROM chat_journal")).as("every message after each first one, unfolded").isEqualTo(18);
        opened.removeFirst().close(); // as a kill -9 would leave it: committed to the journal, never folded

        var again = Database.open(data);
        opened.add(again);
        var reopened = unfolded(again, 4);
        assertThat(count(again, "SELECT count(*) FROM chat_journal")).as("folded at open").isZero();
        assertThat(count(again, "SELECT count(*) FROM chat_messages WHERE user_id = 'ada'")).as("the bound applied by the fold").isEqualTo(4);
        assertThat(reopened.history("ada")).extracting(ChatMessage::id).containsExactlyElementsOf(ada.subList(6, 10));
        assertThat(reopened.history("bob")).extracting(ChatMessage::id).containsExactlyElementsOf(bob.subList(6, 10));
        assertThat(reopened.replyTo("ada", "ada-c5")).map(ChatMessage::text).contains("answer 5");
        reopened.append("ada", ChatMessage.user("ada-c6", "ada-c6", "question 6", T));
        assertThat(reopened.history("ada")).extracting(ChatMessage::id).containsExactly("ada-a4", "ada-c5", "ada-a5", "ada-c6");
    }

    @Test
    void aConversationReadFromTheDatabaseWhileItsMessagesAreInTheJournalHasEachOnceWithinItsBoundBeforeAndAfterTheFold() {
        var db = Database.open(dir.resolve("data"));
        opened.add(db);
        var reader = unfolded(db, 4); // opened first: it reads ada's conversation from the database only when asked
        var writer = unfolded(db, 4);
        var ada = fiveTurns(writer, "ada");
        assertThat(count(db, "SELECT count(*) FROM chat_journal WHERE user_id = 'ada'")).isEqualTo(9);
        assertThat(count(db, "SELECT count(*) FROM chat_messages WHERE user_id = 'ada'")).as("only the first message, written at once").isEqualTo(1);
        assertThat(reader.history("ada")).extracting(ChatMessage::id).containsExactlyElementsOf(ada.subList(6, 10));
        assertThat(reader.userMessage("ada", "ada-c1")).as("dropped by the bound, though still in the table").isEmpty();

        assertThat(writer.expire(T.minus(Duration.ofDays(1)))).as("an expiry folds first; nobody is that old").isZero();
        assertThat(count(db, "SELECT count(*) FROM chat_journal")).isZero();
        assertThat(count(db, "SELECT count(*) FROM chat_messages WHERE user_id = 'ada'")).isEqualTo(4);
        var third = unfolded(db, 4);
        assertThat(third.history("ada")).extracting(ChatMessage::id).containsExactlyElementsOf(ada.subList(6, 10));
        third.append("ada", ChatMessage.user("ada-c6", "ada-c6", "question 6", T));
        assertThat(third.history("ada")).extracting(ChatMessage::id).containsExactly("ada-a4", "ada-c5", "ada-a5", "ada-c6");
    }

    @Test
    void aConversationThatExpiresWithMessagesInTheJournalLeavesNothingBehindAndStartsAfreshAfterwards() {
        var db = Database.open(dir.resolve("data"));
        opened.add(db);
        var store = new SqliteConversationStore(db, MAPPER, clock, 100, 200, 64 << 10, 1L << 30, Duration.ofDays(1), Duration.ofDays(365));
        fiveTurns(store, "old");
        nowMillis.set(T.plus(Duration.ofDays(2)).toEpochMilli());
        fiveTurns(store, "new");
        assertThat(store.expire(T.plus(Duration.ofDays(1)))).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM chat_journal")).isZero();
        assertThat(count(db, "SELECT count(*) FROM chat_messages WHERE user_id = 'old'")).isZero();
        store.append("old", ChatMessage.user("again", "again", "back", T));
        opened.removeFirst().close();
        var reopened = open(dir.resolve("data"), 100, 200, clock);
        assertThat(reopened.history("old")).extracting(ChatMessage::id).containsExactly("again");
        assertThat(reopened.history("new")).hasSize(10);
    }

    @Test
    void aUseHeldInMemoryIsWrittenWhenTheStoreClosesSoARestartDoesNotExpireTheConversation() {
        var data = dir.resolve("data");
        var store = open(data, 10, 10, clock);
        store.append("ada", ChatMessage.user("a1", "a1", "hello", T));
        store.append("bob", ChatMessage.user("b1", "b1", "hello", T));
        nowMillis.set(T.plus(Duration.ofDays(2)).toEpochMilli());
        assertThat(store.history("ada")).hasSize(1); // a use, held in memory until a fold
        store.close();
        opened.removeFirst().close();

        var again = open(data, 10, 10, clock);
        assertThat(again.expire(T.plus(Duration.ofDays(1)))).as("only bob was unused since").isEqualTo(1);
        assertThat(again.contains("ada")).isTrue();
        assertThat(again.contains("bob")).isFalse();
    }

    private SqliteConversationStore open(Path data, int maxUsers, int maxMessages, Clock clock) {
        return open(data, Bounds.of(maxUsers, maxMessages), clock);
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
        assertThatThrownBy(() -> again.append("cy", ChatMessage.user("y1", "cy1", "third user", T)))
                .as("two users are all it may hold").isInstanceOf(ConversationStore.FullException.class);
        assertThat(again.contains("cy")).isFalse();
        assertThat(again.contains("ada") && again.contains("bob")).isTrue();
    }

    @Test
    void aQueuedMessageTheDiskRefusedIsNeverFollowedByItsReplyAndSendingItAgainStoresBoth() {
        var data = dir.resolve("data");
        var store = open(data, 10, 200, Clock.systemUTC());
        store.append("ada", ChatMessage.user("c1", "c1", "hello", T));
        store.append("ada", ChatMessage.assistant("a1", "c1", "hi", MessageStatus.COMPLETE, T));
        var db = opened.getLast();
        long pages = db.read(h -> h.queryLong("PRAGMA page_count", 0));
        db.write(h -> { // SQLite's own bound on the file: a write past it fails as on a full disk
            h.execute("PRAGMA max_page_count = " + pages);
            return null;
        });

        store.append("ada", ChatMessage.user("c2", "c2", "x".repeat(20_000), T)); // queued: it fails in its commit
        assertThatThrownBy(() -> store.flush("ada")).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.append("ada", ChatMessage.assistant("a2", "c2", "a reply to what was lost", MessageStatus.COMPLETE, T)))
                .as("never a reply without its message").isInstanceOf(StoreUnavailableException.class);
        assertThat(store.history("ada")).as("read again from the database").extracting(ChatMessage::id).containsExactly("c1", "a1");
        assertThat(store.userMessage("ada", "c2")).isEmpty();

        db.write(h -> {
            h.execute("PRAGMA max_page_count = 1073741823");
            return null;
        });
        store.append("ada", ChatMessage.user("c2", "c2", "x".repeat(20_000), T)); // the client's resend
        store.append("ada", ChatMessage.assistant("a2", "c2", "answered now", MessageStatus.COMPLETE, T));
        store.flush("ada");
        assertThat(store.history("ada")).extracting(ChatMessage::id).containsExactly("c1", "a1", "c2", "a2");
        opened.removeFirst().close();

        var again = open(data, 10, 200, Clock.systemUTC());
        assertThat(again.history("ada")).extracting(ChatMessage::id).containsExactly("c1", "a1", "c2", "a2");
        assertThat(again.replyTo("ada", "c2")).map(ChatMessage::text).contains("answered now");
    }

    @Test
    void userMessagesQueuedWithoutWaitingAreAllStoredInOrderWithTheirReplies() {
        var data = dir.resolve("data");
        var store = open(data, 100, 200, Clock.systemUTC());
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int u = 0; u < 50; u++) {
                var user = "u" + u;
                pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        store.append(user, ChatMessage.user(user + "-c" + i, user + "-c" + i, "q" + i, T));
                        if (i % 2 == 0) store.append(user, ChatMessage.assistant(user + "-a" + i, user + "-c" + i, "r" + i, MessageStatus.COMPLETE, T));
                    }
                    store.flush(user);
                    return null;
                });
            }
        }
        opened.removeFirst().close();
        var again = open(data, 100, 200, Clock.systemUTC());
        for (int u = 0; u < 50; u++) {
            var expected = new ArrayList<String>();
            for (int i = 0; i < 40; i++) {
                expected.add("u" + u + "-c" + i);
                if (i % 2 == 0) expected.add("u" + u + "-a" + i);
            }
            assertThat(again.history("u" + u)).as("u%d", u).extracting(ChatMessage::id).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void bytesAreStillCountedAfterTheStoreIsReopened() {
        var data = dir.resolve("data");
        long one = bytes(ChatMessage.user("r00", "r00", "x".repeat(100), T));
        var bounds = Bounds.of(100, 1_000).withBytes(3 * one, 4 * one);
        var store = open(data, bounds, Clock.systemUTC());
        for (int i = 0; i < 3; i++) store.append("ada", ChatMessage.user("r0" + i, "r0" + i, "x".repeat(100), T));
        store.append("bob", ChatMessage.user("b00", "b00", "x".repeat(100), T));
        assertThat(store.admits("cy")).as("four messages fill it").isFalse();
        opened.removeFirst().close();

        var again = open(data, bounds, Clock.systemUTC());
        assertThat(again.admits("cy")).as("the total was summed from the database").isFalse();
        assertThatThrownBy(() -> again.append("cy", ChatMessage.user("c00", "c00", "hello", T))).isInstanceOf(ConversationStore.FullException.class);
        again.append("ada", ChatMessage.user("r03", "r03", "x".repeat(100), T));
        assertThat(again.history("ada")).as("ada's own oldest goes: its bytes were counted too")
                .extracting(ChatMessage::id).containsExactly("r01", "r02", "r03");
        assertThat(again.history("bob")).extracting(ChatMessage::id).containsExactly("b00");
        assertThat(again.expire(Instant.now().plusSeconds(1))).isEqualTo(2);
        assertThat(again.admits("cy")).as("what expired left the total").isTrue();
        again.append("cy", ChatMessage.user("c00", "c00", "hello", T));
        assertThat(again.history("cy")).hasSize(1);
    }

    @Test
    void aWorkersStoreTakesItsChatBoundsFromTheLimits() {
        var config = dev.labdesk.worker.WorkerConfig.local(dir.resolve("worker"))
                .withLimits(dev.labdesk.worker.Limits.defaults().withChatBytes(64 << 10, 1));
        try (var stores = dev.labdesk.worker.sqlite.SqliteStores.open(config, MAPPER, Clock.systemUTC())) {
            var store = stores.conversations();
            store.append("ada", ChatMessage.user("a1", "a1", "hello", T));
            assertThat(store.admits("bob")).as("one byte in all: the first conversation fills it").isFalse();
            assertThatThrownBy(() -> store.append("bob", ChatMessage.user("b1", "b1", "hello", T))).isInstanceOf(ConversationStore.FullException.class);
            store.append("ada", ChatMessage.user("a2", "a2", "more", T));
            assertThat(store.history("ada")).hasSize(2);
        }
    }

    @Test
    void aConversationUntouchedForTheRetentionTimeGoes() {
        var store = open(dir.resolve("data"), 10, 10, clock);
        store.append("old", ChatMessage.user("o1", "co1", "long ago", T));
        nowMillis.set(T.plus(Duration.ofDays(2)).toEpochMilli());
        store.append("new", ChatMessage.user("n1", "cn1", "today", T));
        assertThat(store.expire(T.plus(Duration.ofDays(1)))).isEqualTo(1);
        assertThat(store.contains("old")).isFalse();
        assertThat(store.history("old")).isEmpty();
        assertThat(store.history("new")).hasSize(1);
    }

    @Test
    void aConversationReadWithinTheRetentionStaysAndTheNextMessageContinuesItsNumbering() {
        var data = dir.resolve("data");
        var store = open(data, 10, 10, clock);
        store.append("ada", ChatMessage.user("a1", "a1", "hello", T));
        store.append("bob", ChatMessage.user("b1", "b1", "hello", T));
        nowMillis.set(T.plus(Duration.ofDays(2)).toEpochMilli());
        assertThat(store.history("ada")).hasSize(1); // a read is a touch
        assertThat(store.userMessage("ada", "a1")).isPresent(); // within the second: recorded once
        assertThat(store.expire(T.plus(Duration.ofDays(1)))).as("only bob was left untouched").isEqualTo(1);
        assertThat(store.contains("bob")).isFalse();
        store.append("ada", ChatMessage.user("a2", "a2", "again", T));
        opened.removeFirst().close();

        var again = open(data, 10, 10, clock);
        again.append("ada", ChatMessage.user("a3", "a3", "and again", T));
        assertThat(again.history("ada")).extracting(ChatMessage::id).containsExactly("a1", "a2", "a3");
        assertThat(again.userMessage("ada", "a2")).isPresent();
        assertThat(again.userMessage("ada", "a4")).isEmpty();
    }
}
