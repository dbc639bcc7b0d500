package dev.labdesk.worker.chat;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.MessageStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bounds of the in-memory store: messages and bytes per user (its own oldest dropped), users and
 * bytes in all (a new conversation refused, no existing one dropped), idle conversations making room.
 */
class InMemoryConversationStoreTest {
    private static final Instant T = Instant.parse("2026-12-02T00:00:00Z");

    @Test
    void theOldestMessagesAreDroppedWithTheirIdempotencyEntries() {
        var store = new InMemoryConversationStore(10, 4);
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
        var store = new InMemoryConversationStore(10, 8);
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
        var store = new InMemoryConversationStore(10, 50);
        var snapshots = new ArrayList<java.util.List<ChatMessage>>();
        var expected = new ArrayList<java.util.List<String>>();
        var all = new ArrayList<String>();
        for (int i = 0; i < 400; i++) { // far past the limit, so the messages move to fresh arrays many times
            store.append("ada", ChatMessage.user("c" + i, "c" + i, "q" + i, T));
            all.add("c" + i);
            if (i % 7 == 0) {
                snapshots.add(store.history("ada"));
                expected.add(java.util.List.copyOf(all.subList(Math.max(0, all.size() - 50), all.size())));
            }
        }
        for (int s = 0; s < snapshots.size(); s++)
            assertThat(snapshots.get(s)).extracting(ChatMessage::id).as("snapshot %d", s).containsExactlyElementsOf(expected.get(s));
        assertThat(store.history("ada")).extracting(ChatMessage::id).containsExactlyElementsOf(all.subList(350, 400));
        assertThat(store.userMessage("ada", "c349")).isEmpty();
        assertThat(store.userMessage("ada", "c350")).isPresent();
        var history = store.history("ada");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> history.add(history.get(0))).isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> history.get(50)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void pastTheUserLimitANewConversationIsRefusedAndNoExistingOneIsDropped() {
        var store = new InMemoryConversationStore(3, 10);
        for (var u : new String[] {"u1", "u2", "u3"}) store.append(u, ChatMessage.user(u + "-m", u + "-m", "hi", T));
        assertThat(store.admits("u4")).isFalse();
        assertThatThrownBy(() -> store.append("u4", ChatMessage.user("u4-m", "u4-m", "hi", T)))
                .isInstanceOf(ConversationStore.FullException.class).hasMessageContaining("existing ones go on");
        assertThat(store.contains("u4")).isFalse();
        for (var u : new String[] {"u1", "u2", "u3"}) {
            assertThat(store.admits(u)).isTrue();
            store.append(u, ChatMessage.user(u + "-n", u + "-n", "still here", T));
            assertThat(store.history(u)).hasSize(2);
        }
    }

    @Test
    void aConversationOverItsByteShareDropsItsOwnOldestMessagesNeverAnothers() {
        long oneMessage = InMemoryConversationStore.bytes(ChatMessage.user("m00", "m00", "x".repeat(100), T));
        var store = new InMemoryConversationStore(100, 1_000, 5 * oneMessage, 1L << 30, Duration.ofDays(1), System::currentTimeMillis);
        store.append("quiet", ChatMessage.user("q", "q", "the only message", T));
        for (int i = 0; i < 20; i++) store.append("chatty", ChatMessage.user("m" + (i < 10 ? "0" : "") + i, "m" + (i < 10 ? "0" : "") + i, "x".repeat(100), T));
        assertThat(store.history("chatty")).extracting(ChatMessage::id).containsExactly("m15", "m16", "m17", "m18", "m19");
        assertThat(store.userMessage("chatty", "m14")).isEmpty();
        assertThat(store.history("quiet")).extracting(ChatMessage::text).containsExactly("the only message");
    }

    @Test
    void tenThousandFreshUserIdsCannotPushOutARealConversationOnceTheTotalIsReached() {
        long total = 200 * InMemoryConversationStore.bytes(ChatMessage.user("f-0000", "f-0000", "hello", T));
        var store = new InMemoryConversationStore(100_000, 200, 64 << 10, total, Duration.ofDays(1), System::currentTimeMillis);
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
        assertThat(store.history("real")).extracting(ChatMessage::text).containsExactly("my experiment");
        store.append("real", ChatMessage.user("r2", "r2", "and more", T));
        assertThat(store.history("real")).hasSize(2);
    }

    @Test
    void conversationsIdlePastTheirTimeMakeRoomForNewOnes() {
        var now = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        var store = new InMemoryConversationStore(2, 10, 64 << 10, 1L << 30, Duration.ofMinutes(10), now::get);
        store.append("old", ChatMessage.user("a", "a", "hi", T));
        store.append("recent", ChatMessage.user("b", "b", "hi", T));
        assertThat(store.admits("new")).isFalse();
        now.addAndGet(Duration.ofMinutes(6).toMillis());
        store.history("recent");
        now.addAndGet(Duration.ofMinutes(6).toMillis());
        assertThat(store.admits("new")).isTrue();
        store.append("new", ChatMessage.user("c", "c", "hi", T));
        assertThat(store.contains("old")).isFalse();
        assertThat(store.contains("recent")).isTrue();
    }

    @Test
    void manyThreadsAddingUsersAtOnceStayWithinTheLimitAndKnownUsersGoOn() throws Exception {
        var store = new InMemoryConversationStore(50, 1_000);
        var refused = new java.util.concurrent.atomic.AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(4)) {
            var users = new ArrayList<String>();
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
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (int t = 0; t < 4; t++) for (int i = 0; i < 500; i++) if (store.contains("t" + t + "-u" + i)) users.add("t" + t + "-u" + i);
            assertThat(users.size()).isBetween(50, 53); // a new user checked at 49 by several threads at once
            assertThat(refused.get()).isEqualTo(2_000 - users.size());
            store.append(users.getFirst(), ChatMessage.user("m", "m", "x", T));
            assertThat(store.history(users.getFirst())).hasSize(4);
        }
    }
}
