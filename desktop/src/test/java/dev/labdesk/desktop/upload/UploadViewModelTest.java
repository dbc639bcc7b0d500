package dev.labdesk.desktop.upload;

import dev.labdesk.desktop.TestData;
import dev.labdesk.desktop.client.FakeWorker;
import dev.labdesk.desktop.client.LocalFile;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.desktop.tasks.ManualTaskExecutor;
import dev.labdesk.model.ContextField;
import dev.labdesk.model.FieldError;
import dev.labdesk.model.Problem;
import dev.labdesk.model.UploadAccepted;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upload view model against a worker answered from memory, every task run by hand: what runs on
 * which side, progress, cancel from any thread, failures. The real upload: {@link UploadViewModelIntegrationTest}.
 */
class UploadViewModelTest {
    @TempDir Path tmp;
    final ManualTaskExecutor tasks = new ManualTaskExecutor();
    final FakeWorker worker = new FakeWorker("http://127.0.0.1:9");
    final List<UploadAccepted> accepted = new ArrayList<>();
    UploadViewModel model;

    @BeforeEach
    void create() {
        model = new UploadViewModel(() -> worker, tasks, accepted::add);
        tasks.watch("phase", model.phaseProperty());
        tasks.watch("progress", model.progressProperty());
        tasks.watch("progressText", model.progressTextProperty());
        tasks.watch("message", model.messageProperty());
    }

    private void fillForm() throws IOException {
        var a = Files.writeString(tmp.resolve("a.csv"), "x\n1\n");
        var b = Files.writeString(tmp.resolve("b.csv"), "y\n2\n3\n");
        tasks.asUi(() -> {
            model.addFiles(List.of(new LocalFile(a, "a.csv", 4), new LocalFile(b, "b.csv", 6)));
            model.field(ContextField.NAME).set("Growth");
            model.field(ContextField.DESCRIPTION).set("OD600 over 60 h");
        });
    }

    @Test
    void droppedFoldersAreListedInTheBackgroundAndShownOnTheUiSide() throws Exception {
        var folder = TestData.nestedDataset(tmp);
        tasks.asUi(() -> model.addPaths(List.of(folder)));
        assertThat(model.files()).as("nothing read on the UI thread").isEmpty();

        tasks.runBackground();
        assertThat(model.files()).isEmpty();
        tasks.runUi();
        assertThat(model.files()).extracting(LocalFile::relativePath)
                .containsExactly("plates/day1/growth.csv", "plates/day1/raw/od600.csv", "plates/day2/growth.csv", "plates/notes.txt");
    }

    @Test
    void theCaptionUnderTheFilesCountsThemAndTheirBytes() throws Exception {
        assertThat(model.filesCaptionProperty().get()).isEmpty();
        fillForm();
        assertThat(model.filesCaptionProperty().get()).isEqualTo("2 files, 10 B");
        tasks.asUi(() -> model.removeFiles(List.of(model.files().getFirst())));
        assertThat(model.filesCaptionProperty().get()).isEqualTo("1 file, 6 B");
        tasks.asUi(() -> model.removeFiles(List.copyOf(model.files())));
        assertThat(model.filesCaptionProperty().get()).isEmpty();
    }

    @Test
    void anUploadRunsInTheBackgroundAndShowsOnlyTheLatestProgressOncePerUiTurn() throws Exception {
        fillForm();
        assertThat(tasks.asUi(model::upload)).isTrue();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.CHECKING);
        assertThat(model.progressProperty().get()).as("indeterminate while checking").isEqualTo(-1);
        var upload = worker.lastUpload();
        assertThat(upload.ran()).as("not run on the UI thread").isFalse();
        assertThat(upload.context.name()).isEqualTo("Growth");
        assertThat(upload.files).extracting(LocalFile::relativePath).containsExactly("a.csv", "b.csv");

        // the uploading thread reports three times before the UI thread gets a turn
        upload.listener().confirmed(2, 10);
        upload.listener().confirmed(4, 10);
        upload.listener().confirmed(5, 10);
        assertThat(tasks.pendingUi()).as("coalesced into one UI task").isEqualTo(1);
        tasks.runUi();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.UPLOADING);
        assertThat(model.progressProperty().get()).isEqualTo(0.5);
        assertThat(model.progressTextProperty().get()).startsWith("5 B of 10 B confirmed");

        upload.accept(new UploadAccepted("s1", "dataset-volume-s1", "/sessions/s1/events", 2, 10));
        tasks.runAll();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.DONE);
        assertThat(model.progressProperty().get()).isEqualTo(1.0);
        assertThat(model.progressTextProperty().get()).startsWith("Uploaded 2 files, 10 B as session s1.");
        assertThat(accepted).extracting(UploadAccepted::sessionId).containsExactly("s1");
        assertThat(tasks.offUiWrites()).isEmpty();
    }

    @Test
    void cancelFromAnotherThreadStopsTheUploadAndWritesNothingOffTheUiThread() throws Exception {
        fillForm();
        tasks.asUi(model::upload);
        var upload = worker.lastUpload();
        upload.listener().confirmed(3, 10);
        tasks.runUi();

        var other = Thread.ofPlatform().name("menu-accelerator").start(model::cancel);
        other.join(Duration.ofSeconds(10));
        assertThat(upload.cancelledOn()).as("the upload is stopped at once, on the caller's thread").containsExactly("menu-accelerator");
        assertThat(model.phaseProperty().get()).as("the property waits for the UI thread").isEqualTo(UploadPhase.UPLOADING);

        tasks.runUi();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.CANCELLING);
        assertThat(model.progressTextProperty().get()).isEqualTo("Cancelling…");
        upload.listener().confirmed(6, 10); // a late report from the uploading thread does not undo "Cancelling…"
        tasks.runUi();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.CANCELLING);

        tasks.runAll();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.CANCELLED);
        assertThat(model.progressTextProperty().get()).isEqualTo("Upload cancelled; nothing was kept on the worker.");
        assertThat(accepted).isEmpty();
        assertThat(tasks.offUiWrites()).isEmpty();
    }

    @Test
    void aCancelThatArrivesAfterTheUploadEndedChangesNothing() throws Exception {
        fillForm();
        tasks.asUi(model::upload);
        worker.lastUpload().accept(new UploadAccepted("s1", "dataset-volume-s1", "/sessions/s1/events", 2, 10));
        tasks.runAll();

        tasks.asUi(model::cancel);
        tasks.runAll();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.DONE);
        assertThat(worker.lastUpload().cancelledOn()).isEmpty();
        assertThat(accepted).hasSize(1);
    }

    @Test
    void aRefusedUploadPutsEachErrorAtItsFieldAndTheReasonInTheMessage() throws Exception {
        fillForm();
        tasks.asUi(model::upload);
        worker.lastUpload().fail(WorkerException.problem(Problem.validation(List.of(
                new FieldError("name", "is taken"), new FieldError("files[1].path", "has a reserved name")))));
        tasks.runAll();

        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.FAILED);
        assertThat(model.errors()).containsEntry("name", "is taken").containsEntry("files", "has a reserved name");
        assertThat(model.messageProperty().get()).isEqualTo("The worker refused: 2 fields are invalid");
        assertThat(model.busyBinding().get()).isFalse();
        assertThat(model.files()).as("nothing the user chose is lost").hasSize(2);
    }

    @Test
    void anUnreachableWorkerFailsTheUploadWithItsAddressAndTheFormCanBeSentAgain() throws Exception {
        fillForm();
        tasks.asUi(model::upload);
        worker.lastUpload().fail(WorkerException.unreachable("http://127.0.0.1:9", new IOException("Connection refused")));
        tasks.runAll();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.FAILED);
        assertThat(model.messageProperty().get()).contains("127.0.0.1:9 is unreachable (Connection refused)");

        assertThat(tasks.asUi(model::upload)).as("a failed upload can be sent again").isTrue();
        assertThat(worker.uploads()).hasSize(2);
        assertThat(model.messageProperty().get()).isEmpty();
    }

    @Test
    void aSecondUploadWhileOneRunsIsRefusedAndAnInvalidFormSendsNothing() throws Exception {
        assertThat(tasks.asUi(model::upload)).isFalse();
        assertThat(worker.uploads()).isEmpty();
        assertThat(model.errors()).containsKeys("name", "description", "files");

        fillForm();
        assertThat(tasks.asUi(model::upload)).isTrue();
        assertThat(tasks.asUi(model::upload)).isFalse();
        assertThat(worker.uploads()).hasSize(1);
    }

    @Test
    void aRetrySaysItResumesButNeverOverwritesCancelling() throws Exception {
        fillForm();
        tasks.asUi(model::upload);
        var upload = worker.lastUpload();
        upload.listener().retrying(2, Duration.ofSeconds(1), "connection reset");
        tasks.runUi();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.RETRYING);
        assertThat(model.progressTextProperty().get()).isEqualTo("Connection lost — resuming from the confirmed offset (attempt 2)");

        tasks.asUi(model::cancel);
        tasks.runUi();
        upload.listener().retrying(3, Duration.ofSeconds(2), "connection reset");
        tasks.runUi();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.CANCELLING);
    }
}
