package dev.labdesk.worker.chat.store;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.MessageStatus;
import dev.labdesk.model.SourcedProfile;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every {@link ConversationStore} promises: messages and bytes per user (its own oldest dropped,
 * with their idempotency), users and bytes in all (a new conversation refused, no existing one
 * dropped), conversations idle past their time making room, idempotency lookups, stable snapshots.
 */
abstract class ConversationStoreContract {
    static final Instant T = Instant.parse("2026-12-02T00:00:00Z");

    /** The bounds a store is made with. */
    record Bounds(int maxUsers, int maxMessagesPerUser, long bytesPerUser, long bytesTotal, Duration idle) {
        static Bounds of(int maxUsers, int maxMessagesPerUser) {
            return new Bounds(maxUsers, maxMessagesPerUser, 64 << 10, 1L << 30, Duration.ofDays(1));
        }

        Bounds withBytes(long perUser, long total) {
            return new Bounds(maxUsers, maxMessagesPerUser, perUser, total, idle);
        }

        Bounds withIdle(Duration d) {
            return new Bounds(maxUsers, maxMessagesPerUser, bytesPerUser, bytesTotal, d);
        }
    }

    /** The time of the stores that take a clock; it moves only by {@link #pass}. */
    final AtomicLong nowMillis = new AtomicLong(T.toEpochMilli());

    final Clock clock = new Clock() {
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(nowMillis.get()); }
    };

    abstract ConversationStore store(Bounds bounds);

    /** What the store counts against its byte bounds for one message. */
    abstract long bytes(ChatMessage message);

    /** Whether the store bounds its number of users besides its bytes (the Redis one bounds only bytes). */
    boolean boundsUsers() {
        return true;
    }

    /** Lets {@code d} pass for the stores: the clock moves (a store going by real time waits instead). */
    void pass(Duration d) throws InterruptedException {
        nowMillis.addAndGet(d.toMillis());
    }

    private ConversationStore store(int maxUsers, int maxMessagesPerUser) {
        return store(Bounds.of(maxUsers, maxMessagesPerUser));
    }

    @Test
    void theOldestMessagesAreDroppedWithTheirIdempotencyEntries() {
        var store = store(10, 4);
        for (int i = 1; i <= 3; i++) {
            store.append("ada", ChatMessage.user("c" + i, "c" + i, "q" + i, T));
            store.append("ada", ChatMessage.assistant("a" + i, "c" + i, "r" + i, MessageStatus.COMPLETE, T));
        }
        assertThat(store.history("ada")).extracting(ChatMessage::id).containsExactly("c2", "a2", "c3", "a3");
        assertThat(store.userMessage("ada", "c1")).as("dropped with its message").isEmpty();
        assertThat(store.replyTo("ada", "c1")).isEmpty();
        assertThat(store.userMessage("ada", "c2")).isPresent();
        assertThat(store.replyTo("ada", "c2")).map(ChatMessage::id).contains("a2");
    }

    @Test
    void idsWhoseHashesCollideAreStillToldApartAcrossAMoveOfTheWindow() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode()); // the lookup compares hashes first
        var store = store(10, 8);
        store.append("ada", ChatMessage.user("Aa", "Aa", "first", T));
        store.append("ada", ChatMessage.assistant("r-Aa", "Aa", "reply to first", MessageStatus.COMPLETE, T));
        for (int i = 0; i < 20; i++) // enough appends to move the messages into fresh arrays several times
            store.append("ada", ChatMessage.user("x" + i, "x" + i, "filler", T));
        assertThat(store.userMessage("ada", "Aa")).as("dropped by the bound of 8").isEmpty();
        store.append("ada", ChatMessage.user("Aa", "Aa", "first", T));
        store.append("ada", ChatMessage.user("BB", "BB", "second", T));
        store.append("ada", ChatMessage.assistant("r-BB", "BB", "reply to second", MessageStatus.COMPLETE, T));
        assertThat(store.userMessage("ada", "Aa")).map(ChatMessage::text).contains("first");
        assertThat(store.userMessage("ada", "BB")).map(ChatMessage::text).contains("second");
        assertThat(store.replyTo("ada", "BB")).map(ChatMessage::id).contains("r-BB");
        assertThat(store.replyTo("ada", "Aa")).as("its reply was dropped with the old window").isEmpty();
        assertThat(store.userMessage("ada", "x19")).isPresent();
        assertThat(store.userMessage("ada", "x13")).as("older than the last 8").isEmpty();
    }

    @Test
    void aHistoryTakenEarlierNeverChangesWhileTheConversationGoesOn() {
        var store = store(10, 50);
        var snapshots = new ArrayList<List<ChatMessage>>();
        var expected = new ArrayList<List<String>>();
        var all = new ArrayList<String>();
        for (int i = 0; i < 400; i++) { // far past the limit, so the messages move to fresh arrays many times
            store.append("ada", ChatMessage.user("c" + i, "c" + i, "q" + i, T));
            all.add("c" + i);
            if (i % 7 == 0) {
                snapshots.add(store.history("ada"));
                expected.add(List.copyOf(all.subList(Math.max(0, all.size() - 50), all.size())));
            }
        }
        for (int s = 0; s < snapshots.size(); s++)
            assertThat(snapshots.get(s)).extracting(ChatMessage::id).as("snapshot %d", s).containsExactlyElementsOf(expected.get(s));
        assertThat(store.history("ada")).extracting(ChatMessage::id).containsExactlyElementsOf(all.subList(350, 400));
        assertThat(store.userMessage("ada", "c349")).isEmpty();
        assertThat(store.userMessage("ada", "c350")).isPresent();
        var history = store.history("ada");
        assertThatThrownBy(() -> history.add(history.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> history.get(50)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aConversationOverItsByteShareDropsItsOwnOldestMessagesNeverAnothers() {
        long oneMessage = bytes(ChatMessage.user("m10", "m10", "x".repeat(100), T));
        var store = store(Bounds.of(100, 1_000).withBytes(5 * oneMessage, 1L << 30));
        store.append("quiet", ChatMessage.user("q", "q", "the only message", T));
        for (int i = 10; i < 30; i++) store.append("chatty", ChatMessage.user("m" + i, "m" + i, "x".repeat(100), T));
        assertThat(store.history("chatty")).extracting(ChatMessage::id).containsExactly("m25", "m26", "m27", "m28", "m29");
        assertThat(store.userMessage("chatty", "m24")).as("dropped with its message").isEmpty();
        assertThat(store.userMessage("chatty", "m25")).isPresent();
        assertThat(store.history("quiet")).extracting(ChatMessage::text).containsExactly("the only message");
    }

    @Test
    void aMessageLargerThanTheShareIsStillKeptAsTheConversationsOnlyOne() {
        var store = store(Bounds.of(100, 1_000).withBytes(bytes(ChatMessage.user("a", "a", "hi", T)), 1L << 30));
        store.append("ada", ChatMessage.user("a", "a", "hi", T));
        store.append("ada", ChatMessage.user("b", "b", "x".repeat(500), T));
        assertThat(store.history("ada")).extracting(ChatMessage::id).containsExactly("b");
    }

    @Test
    void pastTheUserLimitANewConversationIsRefusedAndNoExistingOneIsDropped() {
        assumeTrue(boundsUsers(), "this store bounds only its bytes");
        var store = store(3, 10);
        for (var u : new String[] {"u1", "u2", "u3"}) store.append(u, ChatMessage.user(u + "-m", u + "-m", "hi", T));
        store.history("u1"); // u2 is now the one touched least recently: it stays all the same
        assertThat(store.admits("u4")).isFalse();
        assertThatThrownBy(() -> store.append("u4", ChatMessage.user("u4-m", "u4-m", "hi", T)))
                .isInstanceOf(ConversationStore.FullException.class).hasMessageContaining("existing ones go on");
        assertThatThrownBy(() -> store.saveProfile("u5", SourcedProfile.EMPTY)).isInstanceOf(ConversationStore.FullException.class);
        assertThat(store.contains("u4")).isFalse();
        assertThat(store.contains("u5")).isFalse();
        for (var u : new String[] {"u1", "u2", "u3"}) {
            assertThat(store.admits(u)).isTrue();
            store.append(u, ChatMessage.user(u + "-n", u + "-n", "still here", T));
            assertThat(store.history(u)).extracting(ChatMessage::id).containsExactly(u + "-m", u + "-n");
        }
    }

    @Test
    void tenThousandFreshUserIdsCannotPushOutARealConversationOnceTheTotalIsReached() {
        long total = 200 * bytes(ChatMessage.user("f-0000", "f-0000", "hello", T));
        var store = store(Bounds.of(100_000, 200).withBytes(64 << 10, total));
        store.append("real", ChatMessage.user("r1", "r1", "my experiment", T));
        int refused = 0;
        for (int i = 0; i < 10_000; i++) {
            var id = "f-" + i;
            if (!store.admits(id)) {
                refused++;
                continue;
            }
            store.append(id, ChatMessage.user(id, id, "hello", T));
        }
        assertThat(refused).isGreaterThan(9_000);
        assertThatThrownBy(() -> store.append("late", ChatMessage.user("l", "l", "hello", T)))
                .isInstanceOf(ConversationStore.FullException.class);
        assertThat(store.contains("late")).isFalse();
        assertThat(store.history("real")).extracting(ChatMessage::text).containsExactly("my experiment");
        assertThat(store.admits("real")).isTrue();
        store.append("real", ChatMessage.user("r2", "r2", "and more", T));
        assertThat(store.history("real")).extracting(ChatMessage::text).containsExactly("my experiment", "and more");
    }

    @Test
    void conversationsIdlePastTheirTimeMakeRoomForNewOnes() throws Exception {
        var message = ChatMessage.user("a", "a", "hi", T);
        long one = bytes(message);
        // one message per conversation, two in all: "old" and "recent" fill the store
        var store = store(Bounds.of(100, 10).withBytes(one, 2 * one).withIdle(Duration.ofSeconds(3)));
        store.append("old", message);
        store.append("recent", ChatMessage.user("b", "b", "hi", T));
        assertThat(store.admits("new")).isFalse();
        pass(Duration.ofMillis(1_800));
        store.append("recent", ChatMessage.user("c", "c", "hi", T));
        assertThat(store.admits("new")).as("nothing idle for 3 s yet").isFalse();
        pass(Duration.ofMillis(1_800));
        assertThat(store.admits("new")).isTrue();
        store.append("new", ChatMessage.user("d", "d", "hi", T));
        assertThat(store.contains("old")).isFalse();
        assertThat(store.history("recent")).extracting(ChatMessage::id).containsExactly("c");
        assertThat(store.history("new")).extracting(ChatMessage::id).containsExactly("d");
    }

    @Test
    void manyThreadsAddingUsersAtOnceStayWithinTheLimitAndKnownUsersGoOn() throws Exception {
        assumeTrue(boundsUsers(), "this store bounds only its bytes");
        var store = store(50, 1_000);
        var refused = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                int thread = t;
                pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        var u = "t" + thread + "-u" + i;
                        try {
                            for (int m = 0; m < 3; m++) store.append(u, ChatMessage.user(u + m, u + m, "x", T));
                        } catch (ConversationStore.FullException e) {
                            refused.incrementAndGet();
                        }
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        var users = new ArrayList<String>();
        for (int t = 0; t < 4; t++) for (int i = 0; i < 500; i++) if (store.contains("t" + t + "-u" + i)) users.add("t" + t + "-u" + i);
        assertThat(users.size()).isBetween(50, 53); // a new user checked at 49 by several threads at once
        assertThat(refused.get()).isEqualTo(2_000 - users.size());
        for (var u : users) assertThat(store.history(u)).as(u).hasSize(3);
        store.append(users.getFirst(), ChatMessage.user("m", "m", "x", T));
        assertThat(store.history(users.getFirst())).hasSize(4);
    }
}
