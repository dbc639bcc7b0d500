package dev.labdesk.desktop.upload;

import dev.labdesk.desktop.client.LocalFile;
import dev.labdesk.desktop.client.ResumableUploadTask;
import dev.labdesk.desktop.client.UploadCancelledException;
import dev.labdesk.desktop.client.WorkerApi;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.desktop.tasks.TaskExecutor;
import dev.labdesk.model.ContextField;
import dev.labdesk.model.ContextRules;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.RelativePaths;
import dev.labdesk.model.FieldError;
import dev.labdesk.model.UploadAccepted;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The drop zone, the experiment form and the upload. Fields are validated with the worker's own
 * rules ({@link ContextRules}) as they change; an error shows once its field was edited or an
 * upload was attempted, so an empty form does not greet the user in red. The upload and the
 * listing of dropped folders run on the {@link TaskExecutor}'s background; the progress (bytes
 * confirmed by the worker) comes back through its UI queue, coalesced so a fast upload posts at
 * most one update at a time. Properties change on the UI thread only.
 */
public final class UploadViewModel {
    /** Where a problem with the dropped files is shown, beside the form fields' wire names. */
    public static final String FILES = "files";

    private final Supplier<? extends WorkerApi> client;
    private final Executor ui;
    private final Executor background;
    private final Consumer<UploadAccepted> accepted;
    private final Map<ContextField, StringProperty> fields = new EnumMap<>(ContextField.class);
    private final ObservableMap<String, String> errors = FXCollections.observableHashMap();
    private final ObservableList<LocalFile> files = FXCollections.observableArrayList();
    private final Set<String> touched = new HashSet<>();
    private final ReadOnlyLongWrapper totalBytes = new ReadOnlyLongWrapper();
    private final ReadOnlyStringWrapper filesCaption = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<UploadPhase> phase = new ReadOnlyObjectWrapper<>(UploadPhase.IDLE);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final Throughput throughput = new Throughput();
    private final AtomicLong latestConfirmed = new AtomicLong();
    private final AtomicLong latestTotal = new AtomicLong();
    private final AtomicBoolean progressPosted = new AtomicBoolean();
    private volatile WorkerApi.Upload task;
    private boolean attempted;
    private Map<String, String> allErrors = Map.of();

    public UploadViewModel(Supplier<? extends WorkerApi> client, TaskExecutor tasks, Consumer<UploadAccepted> accepted) {
        this.client = client;
        this.ui = tasks.ui();
        this.background = tasks.background();
        this.accepted = accepted;
        for (var f : ContextField.values()) {
            var p = new SimpleStringProperty("");
            p.addListener((o, a, b) -> {
                touched.add(f.wire());
                revalidate();
            });
            fields.put(f, p);
        }
        files.addListener((ListChangeListener<LocalFile>) c -> {
            totalBytes.set(files.stream().mapToLong(LocalFile::size).sum());
            filesCaption.set(files.isEmpty() ? "" : Sizes.files(files.size()) + ", " + Sizes.bytes(totalBytes.get()));
            touched.add(FILES);
            revalidate();
        });
        revalidate();
    }

    public StringProperty field(ContextField field) {
        return fields.get(field);
    }

    /** Shown errors by field name (form fields and {@code files}). */
    public ObservableMap<String, String> errors() {
        return errors;
    }

    public ObservableList<LocalFile> files() {
        return files;
    }

    /** Adds files and folders (expanded off the UI thread); an entry with the same path replaces the old one. */
    public void addPaths(List<Path> paths) {
        background.execute(() -> {
            try {
                var found = DatasetFiles.expand(paths);
                ui.execute(() -> addFiles(found));
            } catch (Exception e) {
                ui.execute(() -> message.set("Could not read what was dropped: " + e.getMessage()));
            }
        });
    }

    /** UI thread. */
    public void addFiles(List<LocalFile> found) {
        var byKey = new LinkedHashMap<String, LocalFile>();
        for (var f : files) byKey.put(RelativePaths.collisionKey(f.relativePath()), f);
        for (var f : found) byKey.put(RelativePaths.collisionKey(f.relativePath()), f);
        files.setAll(byKey.values());
    }

    public void removeFiles(List<LocalFile> gone) {
        files.removeAll(gone);
    }

    /** The context the form describes (tags split, parameters parsed). */
    public ExperimentContext context() {
        return new ExperimentContext(text(ContextField.NAME), text(ContextField.DESCRIPTION), text(ContextField.GOALS),
                text(ContextField.HYPOTHESIS), text(ContextField.CONTACT_EMAIL),
                ContextRules.splitTags(field(ContextField.TAGS).get()), Parameters.parse(field(ContextField.PARAMETERS).get()).values());
    }

    private String text(ContextField f) {
        var v = field(f).get();
        return v == null || v.isBlank() ? null : v.strip();
    }

    private void revalidate() {
        var all = new LinkedHashMap<String, String>();
        var params = Parameters.parse(field(ContextField.PARAMETERS).get());
        params.error().ifPresent(e -> all.put(ContextField.PARAMETERS.wire(), e));
        for (var e : ContextRules.validate(context())) all.putIfAbsent(formField(e.field()), e.message());
        if (files.isEmpty()) all.put(FILES, "add at least one file or folder");
        for (var f : files) {
            var p = DatasetFiles.problem(f);
            if (p.isPresent()) {
                all.putIfAbsent(FILES, f.relativePath() + ": " + p.get());
                break;
            }
        }
        allErrors = all;
        var shown = new LinkedHashMap<String, String>();
        for (var e : all.entrySet()) if (attempted || touched.contains(e.getKey())) shown.put(e.getKey(), e.getValue());
        errors.keySet().retainAll(shown.keySet());
        errors.putAll(shown);
    }

    /** The form field an error is shown at: {@code tags[2]} → {@code tags}, {@code files[0].path} → {@code files}. */
    static String formField(String wire) {
        if (wire.startsWith(FILES)) return FILES;
        return ContextField.ofError(wire).map(ContextField::wire).orElse(wire);
    }

    public boolean valid() {
        return allErrors.isEmpty();
    }

    /** UI thread. Shows every error and returns false when something is wrong; otherwise starts the upload. */
    public boolean upload() {
        attempted = true;
        revalidate();
        if (!valid() || phase.get().busy()) return false;
        var context = context();
        var list = List.copyOf(files);
        var worker = client.get();
        message.set("");
        throughput.reset();
        phase.set(UploadPhase.CHECKING);
        progress.set(-1);
        progressText.set("Checking " + Sizes.files(list.size()) + "…");
        var t = worker.upload(context, list, new ResumableUploadTask.Listener() {
            @Override public void hashing(long hashed, long total) {
                postProgress(UploadPhase.CHECKING, hashed, total);
            }
            @Override public void confirmed(long confirmed, long total) {
                postProgress(UploadPhase.UPLOADING, confirmed, total);
            }
            @Override public void retrying(int attempt, Duration delay, String why) {
                ui.execute(() -> {
                    if (phase.get() == UploadPhase.CANCELLING) return;
                    phase.set(UploadPhase.RETRYING);
                    progressText.set("Connection lost — resuming from the confirmed offset (attempt " + attempt + ")");
                });
            }
        });
        task = t;
        background.execute(() -> {
            try {
                var result = t.run();
                ui.execute(() -> ended(t, () -> finished(result)));
            } catch (UploadCancelledException e) {
                ui.execute(() -> ended(t, () -> {
                    phase.set(UploadPhase.CANCELLED);
                    progress.set(0);
                    progressText.set("Upload cancelled; nothing was kept on the worker.");
                }));
            } catch (WorkerException e) {
                ui.execute(() -> ended(t, () -> failed(e)));
            } catch (RuntimeException e) {
                ui.execute(() -> ended(t, () -> failed(e.getMessage())));
            }
        });
        return true;
    }

    private void postProgress(UploadPhase p, long done, long total) {
        latestConfirmed.set(done);
        latestTotal.set(total);
        if (!progressPosted.compareAndSet(false, true)) return;
        ui.execute(() -> {
            progressPosted.set(false);
            if (phase.get() == UploadPhase.CANCELLING || phase.get().compareTo(UploadPhase.DONE) >= 0) return;
            long d = latestConfirmed.get(), n = latestTotal.get();
            phase.set(p);
            progress.set(n == 0 ? 1 : (double) d / n);
            if (p == UploadPhase.CHECKING) {
                progressText.set("Checking files: " + Sizes.bytes(d) + " of " + Sizes.bytes(n));
                return;
            }
            throughput.record(System.nanoTime(), d);
            var sb = new StringBuilder(Sizes.bytes(d)).append(" of ").append(Sizes.bytes(n)).append(" confirmed");
            throughput.bytesPerSecond().ifPresent(s -> sb.append(" · ").append(Sizes.bytes((long) (double) s)).append("/s"));
            throughput.timeLeft(n - d).ifPresent(t -> sb.append(" · ").append(Sizes.duration(t)).append(" left"));
            progressText.set(sb.toString());
        });
    }

    /** UI thread: the upload {@code t} is over; {@code show} says how. */
    private void ended(WorkerApi.Upload t, Runnable show) {
        if (task == t) task = null;
        show.run();
    }

    private void finished(UploadAccepted result) {
        phase.set(UploadPhase.DONE);
        progress.set(1);
        progressText.set("Uploaded " + Sizes.files(result.files()) + ", " + Sizes.bytes(result.bytes()) + " — session " + result.sessionId());
        accepted.accept(result);
    }

    private void failed(WorkerException e) {
        var fieldErrors = e.fieldErrors();
        if (!fieldErrors.isEmpty()) {
            for (FieldError fe : fieldErrors) errors.put(formField(fe.field()), fe.message());
        }
        failed(e.getMessage());
    }

    private void failed(String why) {
        phase.set(UploadPhase.FAILED);
        progress.set(0);
        progressText.set("Upload failed");
        message.set(why);
    }

    /** Any thread: stops the upload at once; the properties say so on the UI thread. */
    public void cancel() {
        var t = task;
        if (t == null) return;
        t.cancel();
        ui.execute(() -> {
            // the upload may have ended (and another begun) before this turn of the UI thread
            if (task != t || !phase.get().busy()) return;
            phase.set(UploadPhase.CANCELLING);
            progressText.set("Cancelling…");
        });
    }

    /** Empties files and form for the next dataset. */
    public void reset() {
        if (phase.get().busy()) return;
        files.clear();
        for (var p : fields.values()) p.set("");
        touched.clear();
        attempted = false;
        phase.set(UploadPhase.IDLE);
        progress.set(0);
        progressText.set("");
        message.set("");
        revalidate();
    }

    public BooleanBinding busyBinding() {
        return Bindings.createBooleanBinding(() -> phase.get().busy(), phase);
    }

    public ReadOnlyLongProperty totalBytesProperty() { return totalBytes.getReadOnlyProperty(); }
    /** Under the file list: "5 files, 1.5 GiB", empty when there are none. */
    public ReadOnlyStringProperty filesCaptionProperty() { return filesCaption.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<UploadPhase> phaseProperty() { return phase.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    public ReadOnlyStringProperty progressTextProperty() { return progressText.getReadOnlyProperty(); }
    /** A failure the user can act on (unreachable worker, refused upload), or empty. */
    public ReadOnlyStringProperty messageProperty() { return message.getReadOnlyProperty(); }

    List<String> allErrorFields() {
        return new ArrayList<>(allErrors.keySet());
    }
}
