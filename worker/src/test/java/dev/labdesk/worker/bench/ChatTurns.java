package dev.labdesk.worker.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.Json;
import dev.labdesk.model.MessageStatus;
import dev.labdesk.worker.chat.store.ConversationStore;
import dev.labdesk.worker.chat.store.InMemoryConversationStore;
import dev.labdesk.worker.chat.store.SqliteConversationStore;
import dev.labdesk.worker.sqlite.Database;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The durable chat store alone, as {@code bench/chat-bench.sh} drives it through the worker: {@code users}
 * conversations, each already at its bound of messages (so every append also drops the oldest), each
 * in a closed loop of turns on its own virtual thread. A turn is what the chat service asks of the store
 * for one message answered at once: the idempotency lookup, the user message, the profile and history
 * read, the unchanged profile saved, the reply (which waits for its commit). Measured after a warm-up
 * of the same length: turns/s, the process's CPU per turn, and the bytes it wrote per turn (WAL,
 * checkpoints; {@code /proc/self/io} wchar), after the same turns against the in-memory store.
 */
final class ChatTurns {
    private ChatTurns() {}

    /** The in-memory store first (what the same turns cost without a database, on the same machine at the same moment), then the durable one. */
    static String run(Path dir, int users, int seconds) throws Exception {
        var mapper = Json.newMapper();
        var t = Instant.parse("2026-12-06T00:00:00Z");
        var memory = new InMemoryConversationStore();
        var prefill = ChatMessage.user("prefill", "prefill", "ping:prefill:0", t);
        for (int u = 0; u < users; u++) for (int n = 0; n < InMemoryConversationStore.DEFAULT_MAX_MESSAGES_PER_USER; n++) memory.append("bench-user-" + u, prefill);
        var inMemory = turns(memory, users, seconds, null);
        try (var db = Database.open(dir)) {
            prefill(db, mapper, users, t);
            return "{\"chat\":{\"in_memory\":" + inMemory + ",\"sqlite\":" + turns(new SqliteConversationStore(db, mapper, Clock.systemUTC()), users, seconds, db) + "}}";
        }
    }

    private static String turns(ConversationStore store, int users, int seconds, Database db) throws Exception {
        var turns = new AtomicLong();
        var stop = new AtomicBoolean();
        var measuring = new AtomicBoolean();
        var times = new java.util.concurrent.ConcurrentLinkedQueue<long[]>(); // each user's turn times while measured (ns), then its count
        var reply = "Thanks. Which field are you in, and what kind of data do you usually work with? "
                + "A sentence or two is enough; I will fill in your profile as we go.";
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var done = new ArrayList<Future<?>>();
            for (int u = 0; u < users; u++) {
                var user = "bench-user-" + u;
                done.add(pool.submit(() -> {
                    var mine = new long[1 << 14];
                    int count = 0;
                    for (long i = 0; !stop.get(); i++) {
                        long start = System.nanoTime();
                        var id = user + ":" + i + ":" + System.nanoTime();
                        if (store.userMessage(user, id).isPresent() || !store.admits(user)) throw new IllegalStateException("seen");
                        store.append(user, ChatMessage.user(id, id, "ping:" + user + ":" + i, Instant.now()));
                        var profile = store.profile(user);
                        if (store.history(user).isEmpty()) throw new IllegalStateException("history");
                        store.saveProfile(user, profile);
                        store.append(user, ChatMessage.assistant("r-" + id, id, reply, MessageStatus.COMPLETE, Instant.now()));
                        turns.incrementAndGet();
                        if (measuring.get() && count < mine.length) mine[count++] = System.nanoTime() - start;
                    }
                    times.add(java.util.Arrays.copyOf(mine, count));
                    return null;
                }));
            }
            Thread.sleep(seconds * 1_000L); // warm-up
            long n0 = turns.get(), cpu0 = os.getProcessCpuTime(), w0 = wchar(), t0 = System.nanoTime();
            var threads0 = databaseThreadsCpu();
            measuring.set(true);
            Thread.sleep(seconds * 1_000L);
            measuring.set(false);
            long n1 = turns.get(), cpu1 = os.getProcessCpuTime(), w1 = wchar(), t1 = System.nanoTime();
            var threads1 = databaseThreadsCpu();
            stop.set(true);
            for (var f : done) f.get();
            long n = n1 - n0;
            var all = times.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
            var latency = all.length == 0 ? "{}" : String.format("{\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f}",
                    all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6);
            var perThread = new StringBuilder();
            threads1.forEach((name, ns) -> perThread.append(perThread.isEmpty() ? "" : ",").append(String.format("\"%s\":%.1f", name,
                    (ns - threads0.getOrDefault(name, 0L)) / 1e3 / n)));
            return String.format("{\"users\":%d,\"seconds\":%d,\"turns_per_s\":%.0f,\"turn_ms\":%s,\"cpu_us_per_turn\":%.1f,\"of_which_us_per_turn\":{%s},\"kb_written_per_turn\":%.2f,"
                            + "\"db_mb\":%.1f,\"load\":\"%s\"}",
                    users, seconds, n / ((t1 - t0) / 1e9), latency, (cpu1 - cpu0) / 1e3 / n, perThread, (w1 - w0) / 1024.0 / n,
                    db == null ? 0 : Files.size(db.file()) / 1048576.0, Files.readString(Path.of("/proc/loadavg")).strip());
        }
    }

    /** Every conversation at its bound already, written straight into the tables both schema versions share. */
    private static void prefill(Database db, com.fasterxml.jackson.databind.ObjectMapper mapper, int users, Instant t) throws IOException {
        int per = InMemoryConversationStore.DEFAULT_MAX_MESSAGES_PER_USER;
        var question = mapper.writeValueAsString(ChatMessage.user("prefill-0000000000", "prefill-0000000000", "ping:prefill:0", t));
        var answer = mapper.writeValueAsString(ChatMessage.assistant("r-prefill-0000000000", "prefill-0000000000",
                "Thanks. Which field are you in, and what kind of data do you usually work with?", MessageStatus.COMPLETE, t));
        long touched = System.currentTimeMillis() * 1_000;
        db.write(h -> {
            for (int u = 0; u < users; u++) {
                var user = "bench-user-" + u;
                h.update("INSERT INTO chat_users (user_id, touched) VALUES (?, ?)", user, touched);
                for (int n = 1; n <= per; n++)
                    h.update("INSERT INTO chat_messages (user_id, n, about, from_user, json) VALUES (?, ?, ?, ?, ?)",
                            user, n, "prefill-" + n, n % 2, n % 2 == 1 ? question : answer);
            }
            return null;
        });
    }

    /**
     * CPU time (ns) of the process's threads by kind, from {@code /proc/self/task}: the database's own
     * (writers, checkpointer) by name, the virtual threads' carriers, the garbage collector, the JIT.
     */
    private static java.util.Map<String, Long> databaseThreadsCpu() throws IOException {
        var cpu = new java.util.TreeMap<String, Long>();
        long tick = 10_000_000L; // USER_HZ = 100
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (var task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                var name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                var f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ns = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick;
                String kind = name.startsWith("labdesk-") ? name
                        : name.startsWith("ForkJoinPool") ? "carriers"
                        : name.startsWith("GC ") || name.startsWith("G1 ") ? "gc"
                        : name.startsWith("C2 ") || name.startsWith("C1 ") ? "jit" : "other";
                cpu.merge(kind, ns, Long::sum);
            }
        }
        return cpu;
    }

    private static long wchar() throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc/self/io"))) if (line.startsWith("wchar:")) return Long.parseLong(line.substring(6).strip());
        return 0;
    }
}
