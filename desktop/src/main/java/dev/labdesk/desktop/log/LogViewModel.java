package dev.labdesk.desktop.log;

import dev.labdesk.desktop.tasks.VirtualThreadTaskExecutor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The log pane's state. Lines arrive from any thread through {@link #offer} into a lock-free queue;
 * the view drains it once per pulse ({@link #drain()}), so a flood of lines costs one list change per
 * frame, never one {@code runLater} per line. At most {@link #capacity} lines are kept; the oldest go
 * first and are counted. The filter (level and search text) applies to every kept line.
 */
public final class LogViewModel {
    public static final int DEFAULT_CAPACITY = 1_000_000;
    /** Per pulse; more waits for the next pulse, so one frame never does unbounded work. */
    static final int MAX_PER_DRAIN = 20_000;

    private final int capacity;
    private final Executor background;
    private final ConcurrentLinkedQueue<Arrival> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final BoundedLines<LogLine> lines;
    private final FilteredList<LogLine> visible;
    private final ObjectProperty<LogLevel> minimumLevel = new SimpleObjectProperty<>(LogLevel.TRACE);
    private final StringProperty search = new SimpleStringProperty("");
    private final BooleanProperty follow = new SimpleBooleanProperty(true);
    private final BooleanProperty timestamps = new SimpleBooleanProperty(true);
    private final ReadOnlyLongWrapper dropped = new ReadOnlyLongWrapper();
    private final ReadOnlyIntegerWrapper matches = new ReadOnlyIntegerWrapper();
    private final ReadOnlyStringWrapper connection = new ReadOnlyStringWrapper("");
    private final StringBinding matchesCaption = Bindings.createStringBinding(() -> {
        var text = search.get();
        boolean filtered = (text != null && !text.isBlank()) || minimumLevel.get() != LogLevel.TRACE;
        return String.format("%,d", matches.get()) + (filtered ? " matching" : " lines");
    }, matches, search, minimumLevel);
    private final StringBinding droppedCaption;

    public LogViewModel() {
        this(DEFAULT_CAPACITY);
    }

    public LogViewModel(int capacity) {
        this(capacity, VirtualThreadTaskExecutor.VIRTUAL_THREADS);
    }

    /** {@code background} runs the file writing, off the UI thread. */
    public LogViewModel(int capacity, Executor background) {
        this.capacity = capacity;
        this.droppedCaption = Bindings.createStringBinding(() -> dropped.get() == 0 ? ""
                : String.format("%,d oldest lines dropped (limit %,d)", dropped.get(), capacity), dropped);
        this.background = background;
        this.lines = new BoundedLines<>(capacity);
        this.visible = new FilteredList<>(lines);
        minimumLevel.addListener((o, a, b) -> refilter());
        search.addListener((o, a, b) -> refilter());
        visible.addListener((ListChangeListener<LogLine>) c -> matches.set(visible.size()));
    }

    /** Any thread. */
    public void offer(LogLine line) {
        inbox.add(line);
        queued.incrementAndGet();
    }

    /**
     * Any thread. As {@link #offer(LogLine)}, and {@code beforeShown} runs on the UI thread in the drain that
     * shows {@code line} (or an earlier one), before the line is in the list: what the line says is already
     * true elsewhere on screen when it appears.
     */
    public void offer(LogLine line, Runnable beforeShown) {
        inbox.add(new Arrival.BeforeShown(beforeShown));
        offer(line);
    }

    /** UI thread, once per pulse: moves what arrived into the list in one change. Returns how many. */
    public int drain() {
        int n = Math.min(queued.get(), MAX_PER_DRAIN);
        if (n == 0) return 0;
        var batch = new ArrayList<LogLine>(n);
        List<Runnable> before = List.of();
        while (batch.size() < n) {
            var next = inbox.poll();
            if (next == null) break;
            switch (next) {
                case LogLine line -> batch.add(line);
                case Arrival.BeforeShown b -> {
                    if (before.isEmpty()) before = new ArrayList<>();
                    before.add(b.action());
                }
            }
        }
        queued.addAndGet(-batch.size());
        before.forEach(Runnable::run);
        int pushedOut = lines.append(batch);
        if (pushedOut > 0) dropped.set(dropped.get() + pushedOut);
        return batch.size();
    }

    /** UI thread: a new session starts with an empty pane. */
    public void clear() {
        inbox.clear();
        queued.set(0);
        lines.clear();
        dropped.set(0);
    }

    private void refilter() {
        var level = minimumLevel.get();
        var needle = search.get() == null ? "" : search.get().strip().toLowerCase(Locale.ROOT);
        Predicate<LogLine> p = needle.isEmpty()
                ? line -> line.level().compareTo(level) >= 0
                : line -> line.level().compareTo(level) >= 0 && line.text().toLowerCase(Locale.ROOT).contains(needle);
        visible.setPredicate(level == LogLevel.TRACE && needle.isEmpty() ? null : p);
        matches.set(visible.size());
    }

    /** The selected lines as text, one per line, as the pane shows them. */
    public String copyText(List<LogLine> selected) {
        var sb = new StringBuilder();
        for (var line : selected) sb.append(line.format(timestamps.get())).append('\n');
        return sb.toString();
    }

    /**
     * UI thread. Writes every kept line (not only the filtered ones) to {@code file} in the background;
     * the future fails with a message a person can read.
     */
    public CompletableFuture<Void> saveTo(Path file) {
        var snapshot = snapshot();
        boolean times = timestamps.get();
        return CompletableFuture.runAsync(() -> {
            try {
                save(snapshot, times, file);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not save the log to " + file + ": " + e.getMessage(), e);
            }
        }, background);
    }

    static void save(List<LogLine> snapshot, boolean timestamps, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (var line : snapshot) {
                w.write(line.format(timestamps));
                w.newLine();
            }
        }
    }

    /** A copy of every kept line, for saving on another thread. UI thread. */
    public List<LogLine> snapshot() {
        return List.copyOf(lines);
    }

    public ObservableList<LogLine> visibleLines() {
        return visible;
    }

    public int size() {
        return lines.size();
    }

    public int pending() {
        return queued.get();
    }

    public ObjectProperty<LogLevel> minimumLevelProperty() { return minimumLevel; }
    public StringProperty searchProperty() { return search; }
    public BooleanProperty followProperty() { return follow; }
    public BooleanProperty timestampsProperty() { return timestamps; }
    public ReadOnlyLongProperty droppedProperty() { return dropped.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty matchesProperty() { return matches.getReadOnlyProperty(); }
    public ReadOnlyStringProperty connectionProperty() { return connection.getReadOnlyProperty(); }
    /** Beside the search: "1,204 lines", or "37 matching" while a filter is on. */
    public StringBinding matchesCaptionProperty() { return matchesCaption; }
    /** Under the log: how many of the oldest lines went to stay within the limit; empty when none did. */
    public StringBinding droppedCaptionProperty() { return droppedCaption; }

    /** UI thread: what the event stream says about itself (live, reconnecting…, caught up). */
    public void setConnection(String text) {
        connection.set(text);
    }
}
