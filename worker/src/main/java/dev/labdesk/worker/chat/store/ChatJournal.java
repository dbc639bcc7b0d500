package dev.labdesk.worker.chat.store;

import dev.labdesk.worker.sqlite.Handle;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chat's append-only journal ({@code chat_journal}, schema v6): a turn's messages go to the end of
 * one of a few contiguous ranges of it (buckets of users by hash), so a group commit of many users' turns writes a few
 * neighbouring pages instead of each user's own pages of {@code chat_messages}. A bucket is folded into
 * {@code chat_messages} as a whole ({@link #fold}): its users' rows in user order (many turns of a user,
 * one page write), their bounds applied, the bucket emptied, all in the caller's transaction, so a crash
 * before or after it loses and duplicates nothing. A user's messages are {@code chat_messages} plus its
 * rows here ({@link #rowsOf}).
 */
final class ChatJournal {
    private static final int SEQ_BITS = 40;
    private static final long NUMBER_MASK = (1L << SEQ_BITS) - 1;

    /** One journalled message: its number in the conversation, its JSON, and the number up to which its append dropped older ones (0: none). */
    record Row(long n, String json, long dropUpTo) {}

    private final AtomicLong number = new AtomicLong();
    /** Users by hash: a fold takes one bucket, so each fold holds the writer for a fraction of the journal. */
    private final int buckets;

    /** Continues the numbering of what the journal holds (it is usually empty: the store folds it all at open). */
    ChatJournal(Handle h, int buckets) throws SQLException {
        if (buckets < 1) throw new IllegalArgumentException("at least one bucket");
        this.buckets = buckets;
        number.set(h.queryLong("SELECT coalesce(max(seq & " + NUMBER_MASK + "), 0) FROM chat_journal", 0));
    }

    int buckets() {
        return buckets;
    }

    int bucket(String userId) {
        return Math.floorMod(userId.hashCode(), buckets);
    }

    /** The key of the user's next row: after every other row of its bucket. */
    long nextSeq(String userId) {
        return ((long) bucket(userId) << SEQ_BITS) | (number.incrementAndGet() & NUMBER_MASK);
    }

    /**
     * Journals a message; the caller knows the user is still stored. INSERT … SELECT, not VALUES: SQLite gives
     * it a statement journal, so a full disk rolls back this statement alone, not the whole group commit.
     */
    static void append(Handle h, long seq, String userId, long n, String about, boolean fromUser, long dropUpTo, String json) throws SQLException {
        h.update("INSERT INTO chat_journal (seq, user_id, n, about, from_user, drop_upto, json) SELECT ?, ?, ?, ?, ?, ?, ?",
                seq, userId, n, about, fromUser ? 1 : 0, dropUpTo, json);
    }

    /** The user's journalled messages in the order they were appended; scans only its bucket. */
    List<Row> rowsOf(Handle h, String userId) throws SQLException {
        int b = bucket(userId);
        var s = h.prepare("SELECT n, json, drop_upto FROM chat_journal WHERE seq BETWEEN ? AND ? AND user_id = ? ORDER BY seq");
        s.setLong(1, first(b));
        s.setLong(2, last(b));
        s.setString(3, userId);
        var rows = new ArrayList<Row>();
        try (var rs = s.executeQuery()) {
            while (rs.next()) rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3)));
        }
        return rows;
    }

    /**
     * Moves bucket {@code b} into {@code chat_messages}, in the caller's transaction: its rows in user order,
     * then each user's messages up to the newest bound an append recorded deleted, then the bucket emptied.
     * Returns the rows moved.
     */
    static int fold(Handle h, int b) throws SQLException {
        return fold(h, first(b), last(b));
    }

    /** The whole journal, whatever bucket count wrote it: at open. */
    static int foldAll(Handle h) throws SQLException {
        return fold(h, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static int fold(Handle h, long first, long last) throws SQLException {
        int moved = h.update("INSERT OR REPLACE INTO chat_messages (user_id, n, about, from_user, json)"
                + " SELECT user_id, n, about, from_user, json FROM chat_journal WHERE seq BETWEEN ? AND ? ORDER BY user_id, n", first, last);
        if (moved == 0) return 0;
        record Drop(String userId, long upTo) {}
        var drops = new ArrayList<Drop>();
        var s = h.prepare("SELECT user_id, max(drop_upto) FROM chat_journal WHERE seq BETWEEN ? AND ? GROUP BY user_id HAVING max(drop_upto) > 0");
        s.setLong(1, first);
        s.setLong(2, last);
        try (var rs = s.executeQuery()) {
            while (rs.next()) drops.add(new Drop(rs.getString(1), rs.getLong(2)));
        }
        for (var d : drops) h.update("DELETE FROM chat_messages WHERE user_id = ? AND n <= ?", d.userId(), d.upTo());
        h.update("DELETE FROM chat_journal WHERE seq BETWEEN ? AND ?", first, last);
        return moved;
    }

    private static long first(int b) {
        return (long) b << SEQ_BITS;
    }

    private static long last(int b) {
        return first(b) | NUMBER_MASK;
    }
}
