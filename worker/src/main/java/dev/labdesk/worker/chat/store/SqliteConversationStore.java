package dev.labdesk.worker.chat.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.SourcedProfile;
import dev.labdesk.worker.Limits;
import dev.labdesk.worker.sqlite.BatchWriter;
import dev.labdesk.worker.sqlite.Database;
import dev.labdesk.worker.sqlite.Handle;
import dev.labdesk.worker.sqlite.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Conversations and profiles in the worker's database, bounded like the in-memory store: per user at
 * most {@code maxMessagesPerUser} messages and {@code bytesPerUser} bytes of message JSON (its own
 * oldest go, and their idempotency with them), and in all at most {@code maxUsers} users and
 * {@code bytesTotal} bytes: past either, a new conversation is refused ({@link FullException}) while
 * every existing one goes on, so a flood of fresh user ids never pushes out a real conversation. A
 * user untouched for {@code idle} (the retention) goes ({@link #expire}), at the retention sweep or
 * when a new conversation finds the store full. The byte total is summed from the database at open.
 * Every turn reads a conversation several times, so the users in use are also held in memory, loaded
 * from the database on first use. A reply or a new conversation goes to the database first (returning
 * once durable) and then to memory; a user message or a profile of a known conversation goes to memory
 * and is queued for the next group commit ({@link #flush}), so that it usually shares its reply's
 * commit: every later write of the conversation commits after it. All writes go through one
 * {@link BatchWriter}, in the order they were made. When one of a conversation's writes
 * fails, its later ones fail too and the conversation is loaded again from the database, so memory
 * never holds what the database lost. A known conversation's messages are appended to the journal
 * ({@link ChatJournal}), which the writer folds into the conversations' own table one bucket at a time
 * in the background ({@link #FOLD_PAUSE}), at open and before an expiry. Touches (the retention's use
 * times) are held in memory and written by those folds: losing the last few in a crash costs nothing.
 */
public final class SqliteConversationStore implements ConversationStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteConversationStore.class);
    private static final int STRIPES = 1024;
    private static final long SWEEP_EVERY_MILLIS = 1_000;
    /**
     * How often a bucket of the journal is folded (each bucket every {@link #BUCKETS} times this):
     * the longer, the more turns of a user share one page write of its conversation, and the longer the
     * fold holds the writer.
     */
    static final Duration FOLD_PAUSE = Duration.ofMillis(250);
    /** Buckets of the journal: each fold takes one, so it holds the writer for the rows of one {@link #FOLD_PAUSE}, while each user's rows wait {@code BUCKETS} pauses and fill whole pages. */
    static final int BUCKETS = 8;
    /** What SQLite counts as a message's bytes: its JSON as UTF-8, as {@link #size} does in Java. */
    private static final String SIZE = "length(CAST(json AS BLOB))";

    private final Database db;
    /** Every conversation write goes through it: one task of the group commit for many of them, committed off the virtual threads. */
    private final BatchWriter writer;
    private final ObjectMapper mapper;
    private final int maxUsers;
    private final int maxMessagesPerUser;
    private final long bytesPerUser;
    private final long bytesTotal;
    private final Duration idle;
    private final Clock clock;
    /** Users loaded from the database; a user the database lets go of leaves it too. */
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Each user's last use (touch time) not yet written: the next fold of its bucket writes it. */
    private final Map<String, Long> pendingTouches = new ConcurrentHashMap<>();
    private final ChatJournal journal;
    private final long foldPauseNanos;
    /** When the last fold was queued (nanoTime), whether one is queued, and which bucket comes next. */
    private final AtomicLong lastFold = new AtomicLong(System.nanoTime());
    private final AtomicBoolean folding = new AtomicBoolean();
    private final AtomicInteger nextBucket = new AtomicInteger();
    /** Orders a user's load and writes, so memory holds what the database holds, in its order. */
    private final Object[] stripes = new Object[STRIPES];
    private final AtomicLong lastTouch = new AtomicLong();
    /** Bytes of every stored message, and the users stored: what the database holds, after each commit. */
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong users = new AtomicLong();
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE / 2);

    /**
     * A user's messages (oldest first, a list nobody changes) with the bytes of each and the
     * {@link #key} of each, the number of the newest in the database (0: none), its profile, and the
     * writes on their way to the database since it was loaded.
     */
    private record Cached(List<ChatMessage> messages, int[] sizes, int[] keys, long bytes, long lastN, SourcedProfile profile, Pipeline pipeline) {
        static Cached empty() {
            return new Cached(List.of(), new int[0], new int[0], 0, 0, SourcedProfile.EMPTY, new Pipeline());
        }

        Cached withProfile(SourcedProfile p) {
            return new Cached(messages, sizes, keys, bytes, lastN, p, pipeline);
        }
    }

    /**
     * One loaded conversation's writes in their commit order: a failed one fails those after it, and the
     * conversation is loaded again. The client ids of the user messages that could not be stored are
     * kept across that, so a reply to one of them is refused rather than stored without its message.
     */
    private static final class Pipeline {
        private static final int LOST_KEPT = 256;
        /** Insertion-ordered, the oldest forgotten past {@link #LOST_KEPT}; shared with the pipeline of the conversation loaded again. */
        private final Map<String, Boolean> lost;

        Pipeline() {
            this(Collections.synchronizedMap(new java.util.LinkedHashMap<>(4, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > LOST_KEPT;
                }
            }));
        }

        private Pipeline(Map<String, Boolean> lost) {
            this.lost = lost;
        }

        /** The pipeline of the conversation loaded again after this one broke. */
        Pipeline next() {
            return new Pipeline(lost);
        }

        /** The number of the first of these writes that failed (on the writer): the later ones fail too, so the database never holds a message without those before it. */
        volatile long failedFrom = Long.MAX_VALUE;
        /** The number of the next write; taken under the user's stripe. */
        long next;
        /** Set once that failure is over (its commit done): the conversation is read again from the database before its next use. */
        volatile boolean broken;
        /**
         * Set on the writer by the expiry that removed this conversation from the database: its later writes,
         * which run after it on the same thread, are refused (and the conversation is read again) instead of
         * each looking the user up in the database.
         */
        volatile boolean removed;
        /** The last write queued without waiting (a user message, a profile); set under the user's stripe. */
        volatile CompletableFuture<Void> queued = CompletableFuture.completedFuture(null);

        void fail() {
            failedFrom = Long.MIN_VALUE;
            broken = true;
        }

        /**
         * The writer's side of write number {@code n}: refused after an earlier one failed, and a failure
         * here refuses the later ones (a batch runs again without a failed write: those before it still pass).
         */
        <T> T run(long n, Handle h, Database.Work<T> work) throws SQLException {
            if (n > failedFrom) throw new StoreUnavailableException("an earlier write of this conversation failed: nothing more of it is stored until it is read again", null);
            if (removed) throw new StoreUnavailableException("the conversation was removed while this was stored", null);
            try {
                return work.run(h);
            } catch (SQLException | RuntimeException e) {
                failedFrom = Math.min(failedFrom, n);
                throw e;
            }
        }
    }

    /** What a write left: the user as now stored, the change in stored bytes, whether the user is new; null when refused. */
    private record Written(Cached now, long delta, boolean added) {}

    public SqliteConversationStore(Database db, ObjectMapper mapper, Clock clock) {
        this(db, mapper, clock, Limits.defaults(), Duration.ofDays(7));
    }

    /** With the worker's limits: its chat byte bounds, and conversations idle for {@code idle} (the retention) making room. */
    public SqliteConversationStore(Database db, ObjectMapper mapper, Clock clock, Limits limits, Duration idle) {
        this(db, mapper, clock, InMemoryConversationStore.DEFAULT_MAX_USERS, InMemoryConversationStore.DEFAULT_MAX_MESSAGES_PER_USER,
                limits.chatBytesPerPrincipal(), limits.chatBytesTotal(), idle);
    }

    public SqliteConversationStore(Database db, ObjectMapper mapper, Clock clock, int maxUsers, int maxMessagesPerUser,
                                   long bytesPerUser, long bytesTotal, Duration idle) {
        this(db, mapper, clock, maxUsers, maxMessagesPerUser, bytesPerUser, bytesTotal, idle, FOLD_PAUSE);
    }

    /** With the journal folded every {@code foldPause} (a test leaves it unfolded with a long one). */
    SqliteConversationStore(Database db, ObjectMapper mapper, Clock clock, int maxUsers, int maxMessagesPerUser,
                            long bytesPerUser, long bytesTotal, Duration idle, Duration foldPause) {
        if (maxUsers < 1 || maxMessagesPerUser < 2 || bytesPerUser < 1 || bytesTotal < 1) throw new IllegalArgumentException("limits must be positive");
        this.db = db;
        this.writer = db.batchWriter("labdesk-chat-writer");
        this.mapper = mapper;
        this.clock = clock;
        this.maxUsers = maxUsers;
        this.maxMessagesPerUser = maxMessagesPerUser;
        this.bytesPerUser = bytesPerUser;
        this.bytesTotal = bytesTotal;
        this.idle = idle;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
        this.foldPauseNanos = foldPause.toNanos();
        // what a crash left in the journal goes where it belongs before anything is counted or read
        this.journal = commit(h -> {
            var j = new ChatJournal(h, BUCKETS);
            ChatJournal.foldAll(h);
            return j;
        });
        db.read(h -> {
            total.set(h.queryLong("SELECT coalesce(sum(" + SIZE + "), 0) FROM chat_messages", 0));
            users.set(h.queryLong("SELECT count(*) FROM chat_users", 0));
            return null;
        });
    }

    private Object stripe(String userId) {
        return stripes[Math.floorMod(userId.hashCode(), STRIPES)];
    }

    /** Microseconds, strictly increasing: two touches in one microsecond still have an order. */
    private long touchTime() {
        long now = clock.millis() * 1_000;
        return lastTouch.updateAndGet(prev -> Math.max(prev + 1, now));
    }

    /** The user's conversation, loaded from the database if it is not in memory; empty for an unknown user. */
    private Optional<Cached> find(String userId, boolean touch) {
        var c = cache.get(userId);
        if (c == null || c.pipeline().broken) {
            synchronized (stripe(userId)) {
                c = cache.get(userId);
                if (c == null || c.pipeline().broken) {
                    var broken = c == null ? null : c.pipeline();
                    c = db.read(h -> load(h, userId, broken == null ? new Pipeline() : broken.next())).orElse(null);
                    if (c != null) cache.put(userId, c);
                    else cache.remove(userId);
                }
            }
        }
        if (c != null && touch) touch(userId);
        return Optional.ofNullable(c);
    }

    /** Records that the user was used now; the next fold of its bucket writes it. */
    private void touch(String userId) {
        pendingTouches.put(userId, touchTime());
        maybeFold();
    }

    /** Queues the fold of the next bucket of the journal once {@link #FOLD_PAUSE} has passed since the last, unless one is queued. */
    private void maybeFold() {
        long now = System.nanoTime(), last = lastFold.get();
        if (now - last < foldPauseNanos || folding.get() || !folding.compareAndSet(false, true)) return;
        lastFold.set(now);
        int bucket = Math.floorMod(nextBucket.getAndIncrement(), journal.buckets());
        try {
            writer.submit(h -> fold(h, bucket)).whenComplete((written, failure) -> {
                folding.set(false);
                if (failure != null) log.warn("a fold of the chat journal failed (the next one retries): {}", failure.toString());
                else forgetTouches(written);
            });
        } catch (RuntimeException closing) {
            folding.set(false);
        }
    }

    /** On the writer: folds journal bucket {@code bucket} and writes its users' pending touches; returns the touches written. */
    private Map<String, Long> fold(Handle h, int bucket) throws SQLException {
        ChatJournal.fold(h, bucket);
        var written = new HashMap<String, Long>();
        for (var e : pendingTouches.entrySet()) {
            if (journal.bucket(e.getKey()) != bucket) continue;
            h.update("UPDATE chat_users SET touched = max(touched, ?) WHERE user_id = ?", e.getValue(), e.getKey());
            written.put(e.getKey(), e.getValue());
        }
        return written;
    }

    /** On the writer: the whole journal and every pending touch written. */
    private Map<String, Long> foldAll(Handle h) throws SQLException {
        ChatJournal.foldAll(h);
        var written = new HashMap<String, Long>();
        for (var e : pendingTouches.entrySet()) {
            h.update("UPDATE chat_users SET touched = max(touched, ?) WHERE user_id = ?", e.getValue(), e.getKey());
            written.put(e.getKey(), e.getValue());
        }
        return written;
    }

    /** After their commit: touches written are no longer pending, unless the user was used again since. */
    private void forgetTouches(Map<String, Long> written) {
        written.forEach(pendingTouches::remove);
    }

    private Optional<Cached> load(Handle h, String userId, Pipeline pipeline) throws SQLException {
        var u = h.prepare("SELECT p.json FROM chat_users u LEFT JOIN chat_profiles p ON p.user_id = u.user_id WHERE u.user_id = ?");
        u.setString(1, userId);
        SourcedProfile profile;
        try (var rs = u.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            var json = rs.getString(1);
            profile = json == null ? SourcedProfile.EMPTY : read(json, SourcedProfile.class);
        }
        // the journal first: a fold committing between the two reads then shows its rows twice (kept once by
        // number), never not at all
        var journalled = journal.rowsOf(h, userId);
        var byN = new TreeMap<Long, String>();
        var m = h.prepare("SELECT n, json FROM chat_messages WHERE user_id = ? ORDER BY n");
        m.setString(1, userId);
        try (var rs = m.executeQuery()) {
            while (rs.next()) byN.put(rs.getLong(1), rs.getString(2));
        }
        long dropUpTo = 0;
        for (var r : journalled) {
            byN.put(r.n(), r.json());
            dropUpTo = Math.max(dropUpTo, r.dropUpTo());
        }
        byN.headMap(dropUpTo, true).clear(); // dropped by a bound the fold has not applied yet
        var messages = new ArrayList<ChatMessage>();
        var sizes = new ArrayList<Integer>();
        long bytes = 0, lastN = byN.isEmpty() ? 0 : byN.lastKey();
        for (var json : byN.values()) {
            messages.add(read(json, ChatMessage.class));
            int size = size(json);
            sizes.add(size);
            bytes += size;
        }
        var keys = new int[messages.size()];
        for (int i = 0; i < keys.length; i++) keys[i] = key(messages.get(i));
        return Optional.of(new Cached(List.copyOf(messages), sizes.stream().mapToInt(Integer::intValue).toArray(), keys, bytes, lastN, profile,
                pipeline));
    }

    /** The client message id a message is found by (a user message's own, the one a reply answers), hashed. */
    private static int key(ChatMessage m) {
        var id = m.fromUser() ? m.clientMessageId() : m.replyTo();
        return id == null ? 0 : id.hashCode();
    }

    /** A message's bytes: its JSON as stored, UTF-8. */
    private static int size(String json) {
        return json.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public boolean admits(String userId) {
        return cache.containsKey(userId) || hasRoom() || find(userId, false).isPresent() || sweepForRoom();
    }

    private boolean hasRoom() {
        return users.get() < maxUsers && total.get() < bytesTotal;
    }

    /**
     * Room for one more conversation after removing the ones idle past {@code idle}; that scans the
     * users, so a flood of new ids at a full store runs it at most once a second. Never called under a stripe.
     */
    private boolean sweepForRoom() {
        long now = clock.millis(), last = lastSweep.get();
        if (now - last < SWEEP_EVERY_MILLIS || !lastSweep.compareAndSet(last, now)) return false;
        expire(clock.instant().minus(idle));
        return hasRoom();
    }

    private FullException full() {
        return new FullException("the chat store is full (" + users.get() + " conversations, " + total.get() / 1024
                + " KiB): no new conversation can start now; existing ones go on");
    }

    @Override
    public List<ChatMessage> history(String userId) {
        return find(userId, true).map(Cached::messages).orElse(List.of());
    }

    /**
     * Stores {@code message}. A reply, or the first message of a conversation, returns once durable;
     * a user message of a known conversation returns once in memory and queued for the next group
     * commit, and is durable once {@link #flush} or any later write of the conversation has returned.
     */
    @Override
    public void append(String userId, ChatMessage message) {
        var json = json(message);
        int size = size(json);
        var about = message.fromUser() ? message.clientMessageId() : message.replyTo();
        if (!admits(userId)) throw full(); // before the stripe: making room takes other users' stripes
        synchronized (stripe(userId)) {
            var current = find(userId, false);
            if (current.isPresent()) appendKnown(userId, current.get(), message, json, size, about);
            else appendNew(userId, message, json, size, about);
        }
    }

    /** Under the user's stripe: a message of a conversation memory holds, computed from memory; the writer only runs its statements. */
    private void appendKnown(String userId, Cached before, ChatMessage message, String json, int size, String about) {
        var p = before.pipeline();
        if (message.fromUser()) p.lost.remove(message.clientMessageId()); // sent again: stored after what failed
        else if (p.lost.containsKey(message.replyTo()))
            throw new StoreUnavailableException("the message this reply answers could not be stored: it has to be sent again", null);
        int count = before.messages().size() + 1, drop = 0;
        long bytes = before.bytes() + size, dropped = 0;
        while (count - drop > 1 && (count - drop > maxMessagesPerUser || bytes > bytesPerUser)) {
            bytes -= before.sizes()[drop];
            dropped += before.sizes()[drop];
            drop++;
        }
        long n = before.lastN() + 1; // memory holds what the database holds: no max(n) query per append
        long dropUpTo = drop > 0 ? n - count + drop : 0; // the held messages are numbered n - count + 1 … n, oldest first
        long seq = p.next++;
        long journalSeq = journal.nextSeq(userId);
        // the user may have expired meanwhile: then the pipeline refuses it, and the failure reloads it
        Database.Work<Void> work = h -> p.run(seq, h, w -> {
            ChatJournal.append(w, journalSeq, userId, n, about, message.fromUser(), dropUpTo, json);
            return null;
        });
        var messages = new ChatMessage[count - drop];
        for (int i = drop; i < count - 1; i++) messages[i - drop] = before.messages().get(i);
        messages[messages.length - 1] = message;
        var sizes = Arrays.copyOfRange(before.sizes(), drop, count);
        sizes[sizes.length - 1] = size;
        var keys = Arrays.copyOfRange(before.keys(), drop, count);
        keys[keys.length - 1] = key(message);
        // one array, wrapped: the list is never changed, so a copy of it would be a second array per append
        var list = Collections.unmodifiableList(Arrays.asList(messages));
        var written = new Written(new Cached(list, sizes, keys, bytes, n, before.profile(), p), size - dropped, false);
        touch(userId);
        if (!message.fromUser()) {
            writeNow(p, work);
            settle(userId, written);
            return;
        }
        settle(userId, written); // in memory before it is durable: its reply, which acknowledges it, commits after it
        var queued = writer.submit(work);
        p.queued = queued;
        queued.whenComplete((ok, failure) -> { // on the committing thread: no lock taken here
            if (failure == null) return;
            p.lost.put(message.clientMessageId(), Boolean.TRUE); // before the conversation can be loaded again
            p.fail();
            total.addAndGet(-written.delta());
        });
    }

    /** Under the user's stripe: the first message of a conversation, which counts against the store's users. */
    private void appendNew(String userId, ChatMessage message, String json, int size, String about) {
        long at = touchTime();
        var written = commit(h -> {
            var added = upsertUser(h, userId, at);
            if (added.isEmpty()) return null;
            if (!added.get()) throw new IllegalStateException("a conversation the database holds was not loaded"); // loaded under this stripe
            h.update("INSERT INTO chat_messages (user_id, n, about, from_user, json) VALUES (?, ?, ?, ?, ?)",
                    userId, 1, about, message.fromUser() ? 1 : 0, json);
            var list = Collections.unmodifiableList(Arrays.asList(new ChatMessage[] {message}));
            return new Written(new Cached(list, new int[] {size}, new int[] {key(message)}, size, 1, SourcedProfile.EMPTY, new Pipeline()), size, true);
        });
        if (written == null) throw full();
        settle(userId, written);
    }

    /** A write the caller waits for, after the conversation's queued ones; a failure reloads the conversation. */
    private void writeNow(Pipeline p, Database.Work<Void> work) {
        try {
            commit(work);
        } catch (RuntimeException e) {
            p.fail();
            throw e;
        }
    }

    /**
     * Runs {@code work} in the next group commit and waits for it on its own outcome, as every caller
     * of that commit does: they are all woken when it is done, not one after the other as each takes
     * the commit lock in turn.
     */
    private <T> T commit(Database.Work<T> work) {
        try {
            return writer.submit(work).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Returns once every message of the user stored so far is durable: before anything that acknowledges
     * a user message goes out other than its stored reply (e.g. a model's first delta).
     *
     * @throws StoreUnavailableException when one of them could not be stored (then the conversation is read again from the database)
     */
    @Override
    public void flush(String userId) {
        var c = cache.get(userId);
        if (c == null) return;
        try {
            c.pipeline().queued.join();
        } catch (CompletionException | CancellationException e) {
            throw new StoreUnavailableException("a message of this conversation could not be stored; send it again", e.getCause());
        }
    }

    /** Memory after a write: the user's conversation and the counts of what the database now holds. */
    private void settle(String userId, Written written) {
        cache.put(userId, written.now());
        total.addAndGet(written.delta());
        if (written.added()) users.incrementAndGet();
    }

    /**
     * Records the user (touched now): true if it is new, false if it was known, empty if it is new and
     * the store has no room for it (then nothing was written).
     */
    private Optional<Boolean> upsertUser(Handle h, String userId, long at) throws SQLException {
        if (h.update("UPDATE chat_users SET touched = ? WHERE user_id = ?", at, userId) > 0) return Optional.of(false);
        if (h.queryLong("SELECT count(*) FROM chat_users", 0) >= maxUsers || total.get() >= bytesTotal) return Optional.empty();
        h.update("INSERT INTO chat_users (user_id, touched) VALUES (?, ?)", userId, at);
        return Optional.of(true);
    }

    @Override
    public Optional<ChatMessage> userMessage(String userId, String clientMessageId) {
        return find(userId, true).flatMap(c -> newest(c, clientMessageId, true));
    }

    @Override
    public Optional<ChatMessage> replyTo(String userId, String clientMessageId) {
        return find(userId, true).flatMap(c -> newest(c, clientMessageId, false));
    }

    /** Scans the keys, side by side in memory, so that only a matching one reaches its message: every new message looks itself up and finds nothing. */
    private static Optional<ChatMessage> newest(Cached c, String clientMessageId, boolean fromUser) {
        int key = clientMessageId.hashCode();
        var keys = c.keys();
        var messages = c.messages();
        for (int i = keys.length - 1; i >= 0; i--) {
            if (keys[i] != key) continue;
            var m = messages.get(i);
            if (m.fromUser() == fromUser && clientMessageId.equals(fromUser ? m.clientMessageId() : m.replyTo())) return Optional.of(m);
        }
        return Optional.empty();
    }

    @Override
    public SourcedProfile profile(String userId) {
        return find(userId, true).map(Cached::profile).orElse(SourcedProfile.EMPTY);
    }

    @Override
    public void saveProfile(String userId, SourcedProfile profile) {
        if (!admits(userId)) throw full();
        synchronized (stripe(userId)) {
            var known = find(userId, false);
            if (known.isPresent()) {
                saveKnownProfile(userId, known.get(), profile);
                return;
            }
            var json = json(profile);
            var current = known.orElseGet(Cached::empty);
            var p = current.pipeline(); // after this conversation's queued messages, and failing with them
            long seq = p.next++;
            long at = touchTime();
            Written written;
            try {
                written = commit(h -> p.run(seq, h, w -> {
                    var added = upsertUser(w, userId, at);
                    if (added.isEmpty()) return null;
                    upsertProfile(w, userId, json);
                    var before = added.get() ? Cached.empty() : current;
                    return new Written(before.withProfile(profile), 0, added.get());
                }));
            } catch (RuntimeException e) {
                if (known.isPresent()) p.fail();
                throw e;
            }
            if (written == null) throw full();
            settle(userId, written);
        }
    }

    /** Under the user's stripe: like a user message, in memory at once and queued; the reply that follows commits after it. */
    private void saveKnownProfile(String userId, Cached before, SourcedProfile profile) {
        if (profile.equals(before.profile())) { // the database holds it already: only the use is recorded
            touch(userId);
            return;
        }
        var json = json(profile);
        var p = before.pipeline();
        long seq = p.next++;
        Database.Work<Void> work = h -> p.run(seq, h, w -> { // refused once the user has expired
            upsertProfile(w, userId, json);
            return null;
        });
        touch(userId);
        settle(userId, new Written(before.withProfile(profile), 0, false));
        var queued = writer.submit(work);
        p.queued = queued; // a later write of the conversation fails with it, so waiting for the last one covers them all
        queued.whenComplete((ok, failure) -> {
            if (failure != null) p.fail();
        });
    }

    private static void upsertProfile(Handle h, String userId, String json) throws SQLException {
        h.update("INSERT INTO chat_profiles (user_id, json) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET json = excluded.json", userId, json);
    }

    @Override
    public boolean contains(String userId) {
        return find(userId, true).isPresent();
    }

    /** Removes the users untouched since {@code cutoff}, as Redis expires a conversation, and their bytes from the total; returns how many. */
    public int expire(Instant cutoff) {
        long before = cutoff.toEpochMilli() * 1_000;
        record Gone(List<String> ids, long bytes, Map<String, Long> touches) {}
        var gone = commit(h -> { // after the queued messages; the journal and the touches held in memory first, which may keep a user
            var touches = foldAll(h);
            var s = h.prepare("SELECT user_id FROM chat_users WHERE touched < ?");
            s.setLong(1, before);
            var ids = new ArrayList<String>();
            try (var rs = s.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
            long bytes = 0;
            for (var id : ids) {
                bytes += h.queryLong("SELECT coalesce(sum(" + SIZE + "), 0) FROM chat_messages WHERE user_id = ?", 0, id);
                h.update("DELETE FROM chat_messages WHERE user_id = ?", id);
                h.update("DELETE FROM chat_profiles WHERE user_id = ?", id);
                h.update("DELETE FROM chat_users WHERE user_id = ?", id);
            }
            for (var id : ids) { // the writes of these conversations queued after this one are refused
                var c = cache.get(id);
                if (c != null) c.pipeline().removed = true;
            }
            return new Gone(ids, bytes, touches);
        });
        forgetTouches(gone.touches());
        total.addAndGet(-gone.bytes());
        users.addAndGet(-gone.ids().size());
        for (var id : gone.ids()) {
            synchronized (stripe(id)) {
                cache.remove(id);
                pendingTouches.remove(id);
            }
        }
        return gone.ids().size();
    }

    /**
     * Before the database closes: writes the touches held in memory and folds the journal, so a restart
     * keeps every use (after a crash, the fold at open keeps every message; only the last uses are lost).
     */
    public void close() {
        try {
            forgetTouches(commit(this::foldAll));
        } catch (RuntimeException e) {
            log.warn("the chat's last uses were not written at close: {}", e.toString());
        }
    }

    @Override
    public String kind() {
        return "sqlite";
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored " + type.getSimpleName() + " did not parse", e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
