package dev.labdesk.worker.chat;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.MessageStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link ConversationStore} promises: its two bounds (messages per user; users, least recently used dropped), idempotency lookups, stable snapshots. */
abstract class ConversationStoreContract {
    /** A store of at most {@code maxUsers} users and {@code maxMessagesPerUser} messages each. */
    abstract ConversationStore store(int maxUsers, int maxMessagesPerUser);

    private static final Instant T = Instant.parse("2026-12-02T00:00:00Z");

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
    void pastTheUserLimitTheUserTouchedLeastRecentlyIsDropped() {
        var store = store(3, 10);
        for (var u : new String[] {"u1", "u2", "u3"}) store.append(u, ChatMessage.user(u + "-m", u + "-m", "hi", T));
        store.history("u1"); // u1 read: now u2 is the least recently used
        store.append("u4", ChatMessage.user("u4-m", "u4-m", "hi", T));
        assertThat(store.contains("u2")).isFalse();
        assertThat(store.contains("u1")).isTrue();
        assertThat(store.contains("u3")).isTrue();
        assertThat(store.contains("u4")).as("the new user is never the one dropped").isTrue();
        store.profile("u3");
        store.saveProfile("u5", dev.labdesk.model.SourcedProfile.EMPTY);
        assertThat(store.contains("u1")).isFalse();
        assertThat(store.contains("u3")).isTrue();
    }

    @Test
    void manyThreadsAddingUsersAtOnceStayWithinTheLimit() throws Exception {
        var store = store(50, 1_000);
        try (var pool = Executors.newFixedThreadPool(4)) {
            var users = new ArrayList<String>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        var u = "t" + thread + "-u" + i;
                        for (int m = 0; m < 3; m++) store.append(u, ChatMessage.user(u + m, u + m, "x", T));
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (int t = 0; t < 4; t++) for (int i = 0; i < 500; i++) if (store.contains("t" + t + "-u" + i)) users.add("t" + t + "-u" + i);
            assertThat(users.size()).isBetween(1, 50);
            store.append("last", ChatMessage.user("m", "m", "x", T));
            assertThat(store.history("last")).hasSize(1);
        }
    }
}
