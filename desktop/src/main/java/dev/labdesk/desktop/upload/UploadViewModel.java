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
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
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
 *
 * <p>After a successful upload the form remembers what it sent ({@link UploadedDataset}): while files and
 * form still describe that dataset, Upload is refused (pressing it again would only make a duplicate
 * session) and the status says where it went; any change makes it a new dataset that Upload sends as a
 * new session. {@link #newUpload()} clears the files and keeps the form for the next dataset of the same
 * experiment; {@link #reset()} clears everything. A cancelled or failed upload keeps files and form for a retry.
 */
public final class UploadViewModel {
    /** Where a problem with the dropped files is shown, beside the form fields' wire names. */
    public static final String FILES = "files";

    private final Supplier<? extends WorkerApi> client;
    private final Executor ui;
    private final Executor background;
    private final Consumer<UploadAccepted> accepted;
    private final Consumer<UploadedDataset> reopen;
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
    private final ReadOnlyObjectWrapper<UploadedDataset> uploaded = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper alreadyUploaded = new ReadOnlyBooleanWrapper();
    private final StringProperty openSessionId = new SimpleStringProperty("");
    private final BooleanBinding busy = Bindings.createBooleanBinding(() -> phase.get().busy(), phase);
    private final BooleanBinding uploadAllowed = busy.not().and(alreadyUploaded.not());
    private final StringBinding uploadLabel = Bindings.when(alreadyUploaded).then("Uploaded").otherwise("Upload");
    private final BooleanBinding newUploadAllowed = busy.not().and(Bindings.isNotEmpty(files).or(uploaded.isNotNull()));
    private final BooleanBinding clearAllowed;
    private final BooleanBinding uploadedElsewhere = Bindings.createBooleanBinding(
            () -> uploaded.get() != null && !uploaded.get().sessionId().equals(openSessionId.get()), uploaded, openSessionId);
    private final Throughput throughput = new Throughput();
    private final AtomicLong latestConfirmed = new AtomicLong();
    private final AtomicLong latestTotal = new AtomicLong();
    private final AtomicBoolean progressPosted = new AtomicBoolean();
    private volatile WorkerApi.Upload task;
    private boolean attempted;
    private Map<String, String> allErrors = Map.of();

    public UploadViewModel(Supplier<? extends WorkerApi> client, TaskExecutor tasks, Consumer<UploadAccepted> accepted) {
        this(client, tasks, accepted, u -> {});
    }

    /**
     * {@code accepted} hears of each upload the worker accepted, once; {@code reopen} shows the uploaded
     * session again when asked ({@link #openUploaded()}) after the user moved on to another one.
     */
    public UploadViewModel(Supplier<? extends WorkerApi> client, TaskExecutor tasks, Consumer<UploadAccepted> accepted,
                           Consumer<UploadedDataset> reopen) {
        this.client = client;
        this.ui = tasks.ui();
        this.background = tasks.background();
        this.accepted = accepted;
        this.reopen = reopen;
        for (var f : ContextField.values()) {
            var p = new SimpleStringProperty("");
            p.addListener((o, a, b) -> {
                touched.add(f.wire());
                revalidate();
                compareWithUploaded();
            });
            fields.put(f, p);
        }
        var clearDependencies = new ArrayList<Observable>(fields.values());
        clearDependencies.addAll(List.of(files, uploaded, phase));
        clearAllowed = Bindings.createBooleanBinding(() -> !phase.get().busy() && (!files.isEmpty() || uploaded.get() != null
                || fields.values().stream().anyMatch(p -> p.get() != null && !p.get().isEmpty())), clearDependencies.toArray(Observable[]::new));
        files.addListener((ListChangeListener<LocalFile>) c -> {
            totalBytes.set(files.stream().mapToLong(LocalFile::size).sum());
            filesCaption.set(files.isEmpty() ? "" : Sizes.files(files.size()) + ", " + Sizes.bytes(totalBytes.get()));
            touched.add(FILES);
            revalidate();
            compareWithUploaded();
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

    /**
     * UI thread. Shows every error and returns false when something is wrong, when an upload runs or when
     * files and form are the dataset uploaded last; otherwise starts the upload.
     */
    public boolean upload() {
        if (phase.get().busy() || alreadyUploaded.get()) return false;
        attempted = true;
        revalidate();
        if (!valid()) return false;
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
                    if (phase.get() == UploadPhase.CANCELLING || !phase.get().busy()) return;
                    phase.set(UploadPhase.RETRYING);
                    progressText.set("Connection lost — resuming from the confirmed offset (attempt " + attempt + ")");
                });
            }
        });
        task = t;
        background.execute(() -> {
            try {
                var result = t.run();
                ui.execute(() -> ended(t, () -> finished(new UploadedDataset(result, context, Set.copyOf(list)))));
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
            if (phase.get() == UploadPhase.CANCELLING || !phase.get().busy()) return;
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

    private void finished(UploadedDataset done) {
        uploaded.set(done);
        phase.set(UploadPhase.DONE);
        // edits made while it uploaded are not in this session: then the form is already a new dataset
        compareWithUploaded();
        accepted.accept(done.accepted());
    }

    /** UI thread, after every change of files or form and at the end of an upload: is this the dataset uploaded last? */
    private void compareWithUploaded() {
        var u = uploaded.get();
        boolean same = u != null && valid() && u.matches(context(), files);
        alreadyUploaded.set(same);
        if (u == null || phase.get().busy()) return;
        if (same) {
            phase.set(UploadPhase.DONE);
            progress.set(1);
            var a = u.accepted();
            progressText.set("Uploaded " + Sizes.files(a.files()) + ", " + Sizes.bytes(a.bytes()) + " as session " + a.sessionId()
                    + ". To upload again, change the files or the form, or choose New upload.");
            message.set("");
        } else if (phase.get() == UploadPhase.DONE) {
            phase.set(UploadPhase.IDLE);
            progress.set(0);
            progressText.set("Changed since the upload as session " + u.sessionId() + ": Upload sends it as a new session.");
        }
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

    /**
     * UI thread. The next dataset of the same experiment: clears the files (without calling their absence
     * an error yet), keeps the form, forgets the last upload.
     */
    public void newUpload() {
        if (phase.get().busy()) return;
        boolean hadSomething = uploaded.get() != null || !files.isEmpty();
        forgetUpload();
        files.clear();
        touched.remove(FILES);
        attempted = false;
        revalidate();
        if (hadSomething) progressText.set("Add the next dataset's files; the form is kept.");
    }

    /** UI thread. Empties files and form and forgets the last upload: a new experiment. */
    public void reset() {
        if (phase.get().busy()) return;
        forgetUpload();
        files.clear();
        for (var p : fields.values()) p.set("");
        touched.clear();
        attempted = false;
        revalidate();
    }

    private void forgetUpload() {
        uploaded.set(null);
        alreadyUploaded.set(false);
        phase.set(UploadPhase.IDLE);
        progress.set(0);
        progressText.set("");
        message.set("");
    }

    /** UI thread. Shows the session of the last upload again (when another one is open). */
    public void openUploaded() {
        var u = uploaded.get();
        if (u != null) reopen.accept(u);
    }

    public BooleanBinding busyBinding() {
        return busy;
    }

    /** Upload would send something: nothing is uploading and files and form are not the dataset uploaded last. */
    public BooleanBinding uploadAllowedBinding() {
        return uploadAllowed;
    }

    /** New upload has something to clear: files, or an upload to forget. */
    public BooleanBinding newUploadAllowedBinding() {
        return newUploadAllowed;
    }

    /** Clear form has something to clear. */
    public BooleanBinding clearAllowedBinding() {
        return clearAllowed;
    }

    /** The Upload button's text: "Uploaded" while files and form are the dataset uploaded last. */
    public StringBinding uploadLabelBinding() {
        return uploadLabel;
    }

    /** The last upload from this form, until {@link #newUpload()} or {@link #reset()}; null before. */
    public ReadOnlyObjectProperty<UploadedDataset> uploadedProperty() { return uploaded.getReadOnlyProperty(); }
    /** Files and form are exactly the dataset uploaded last (so Upload is refused). */
    public ReadOnlyBooleanProperty alreadyUploadedProperty() { return alreadyUploaded.getReadOnlyProperty(); }
    /** The session the window shows; bound by the window's view model so the form knows whether its upload is on screen. */
    public StringProperty openSessionIdProperty() { return openSessionId; }
    /** There is an uploaded session and the window shows another one: offer to open it. */
    public BooleanBinding uploadedElsewhereBinding() { return uploadedElsewhere; }

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
