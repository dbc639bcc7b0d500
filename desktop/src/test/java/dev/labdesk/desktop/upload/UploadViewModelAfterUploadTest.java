package dev.labdesk.desktop.upload;

import dev.labdesk.desktop.client.FakeWorker;
import dev.labdesk.desktop.client.LocalFile;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.desktop.tasks.ManualTaskExecutor;
import dev.labdesk.model.ContextField;
import dev.labdesk.model.UploadAccepted;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the form says and allows once an upload ended, against a worker answered from memory, every task
 * run by hand: a succeeded upload is not sent twice by accident, any change makes a new dataset, a new
 * upload keeps the form, a cancelled or failed one keeps everything for a retry.
 */
class UploadViewModelAfterUploadTest {
    @TempDir Path tmp;
    final ManualTaskExecutor tasks = new ManualTaskExecutor();
    final FakeWorker worker = new FakeWorker("http://127.0.0.1:9");
    final List<UploadAccepted> accepted = new ArrayList<>();
    final List<UploadedDataset> reopened = new ArrayList<>();
    UploadViewModel model;
    LocalFile a;
    LocalFile b;

    @BeforeEach
    void create() throws IOException {
        model = new UploadViewModel(() -> worker, tasks, accepted::add, reopened::add);
        tasks.watch("phase", model.phaseProperty());
        tasks.watch("progressText", model.progressTextProperty());
        tasks.watch("uploaded", model.uploadedProperty());
        tasks.watch("alreadyUploaded", model.alreadyUploadedProperty());
        a = new LocalFile(Files.writeString(tmp.resolve("a.csv"), "x\n1\n"), "a.csv", 4);
        b = new LocalFile(Files.writeString(tmp.resolve("b.csv"), "y\n2\n3\n"), "b.csv", 6);
        tasks.asUi(() -> {
            model.addFiles(List.of(a, b));
            model.field(ContextField.NAME).set("Growth");
            model.field(ContextField.DESCRIPTION).set("OD600 over 60 h");
            model.field(ContextField.TAGS).set("growth, e-coli");
        });
    }

    private void uploadAs(String sessionId) {
        assertThat(tasks.asUi(model::upload)).isTrue();
        worker.lastUpload().accept(new UploadAccepted(sessionId, "dataset-volume-" + sessionId, "/sessions/" + sessionId + "/events", 2, 10));
        tasks.runAll();
    }

    @Test
    void aSucceededUploadSaysWhereItWentAndPressingUploadAgainSendsNothing() {
        assertThat(model.uploadAllowedBinding().get()).isTrue();
        assertThat(model.uploadLabelBinding().get()).isEqualTo("Upload");
        uploadAs("s1");

        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.DONE);
        assertThat(model.progressTextProperty().get()).isEqualTo("Uploaded 2 files, 10 B as session s1."
                + " To upload again, change the files or the form, or choose New upload.");
        assertThat(model.alreadyUploadedProperty().get()).isTrue();
        assertThat(model.uploadAllowedBinding().get()).isFalse();
        assertThat(model.uploadLabelBinding().get()).isEqualTo("Uploaded");
        assertThat(model.uploadedProperty().get().sessionId()).isEqualTo("s1");
        assertThat(model.uploadedProperty().get().name()).isEqualTo("Growth");

        assertThat(tasks.asUi(model::upload)).as("the same dataset again, from the menu's shortcut").isFalse();
        tasks.runAll();
        assertThat(worker.uploads()).hasSize(1);
        assertThat(accepted).extracting(UploadAccepted::sessionId).containsExactly("s1");
        assertThat(model.errors()).isEmpty();
        assertThat(tasks.offUiWrites()).isEmpty();
    }

    @Test
    void changingAFieldMakesANewDatasetAndChangingItBackMakesItTheUploadedOneAgain() {
        uploadAs("s1");

        tasks.asUi(() -> model.field(ContextField.NAME).set("Growth, day 2"));
        assertThat(model.alreadyUploadedProperty().get()).isFalse();
        assertThat(model.uploadAllowedBinding().get()).isTrue();
        assertThat(model.uploadLabelBinding().get()).isEqualTo("Upload");
        assertThat(model.phaseProperty().get()).as("the progress bar goes: nothing is uploading").isEqualTo(UploadPhase.IDLE);
        assertThat(model.progressTextProperty().get()).isEqualTo("Changed since the upload as session s1: Upload sends it as a new session.");

        tasks.asUi(() -> model.field(ContextField.NAME).set("Growth"));
        assertThat(model.alreadyUploadedProperty().get()).isTrue();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.DONE);
        assertThat(model.progressTextProperty().get()).startsWith("Uploaded 2 files, 10 B as session s1.");

        tasks.asUi(() -> model.field(ContextField.TAGS).set(" growth,e-coli "));
        assertThat(model.alreadyUploadedProperty().get()).as("the same tags, spaced differently, are the same context").isTrue();
        tasks.asUi(() -> model.field(ContextField.PARAMETERS).set("temperature = 37"));
        assertThat(model.alreadyUploadedProperty().get()).isFalse();

        assertThat(tasks.asUi(model::upload)).isTrue();
        worker.lastUpload().accept(new UploadAccepted("s2", "dataset-volume-s2", "/sessions/s2/events", 2, 10));
        tasks.runAll();
        assertThat(worker.lastUpload().context.parameters()).containsEntry("temperature", 37L);
        assertThat(model.uploadedProperty().get().sessionId()).isEqualTo("s2");
        assertThat(model.alreadyUploadedProperty().get()).isTrue();
        assertThat(accepted).extracting(UploadAccepted::sessionId).containsExactly("s1", "s2");
    }

    @Test
    void addingOrRemovingAFileMakesANewDatasetButTheSameFilesInAnotherOrderDoNot() {
        uploadAs("s1");

        tasks.asUi(() -> model.removeFiles(List.of(a)));
        assertThat(model.uploadAllowedBinding().get()).isTrue();
        tasks.asUi(() -> model.addFiles(List.of(a)));
        assertThat(model.files()).containsExactly(b, a);
        assertThat(model.uploadAllowedBinding().get()).isFalse();

        var c = new LocalFile(tmp.resolve("a.csv"), "a.csv", 5); // the same name, rewritten on disk since
        tasks.asUi(() -> model.addFiles(List.of(c)));
        assertThat(model.files()).containsExactly(b, c);
        assertThat(model.uploadAllowedBinding().get()).isTrue();
        assertThat(model.progressTextProperty().get()).startsWith("Changed since the upload as session s1");
    }

    @Test
    void anEditWhileItUploadedIsNotInTheSessionSoTheFinishedFormIsANewDatasetAlready() {
        assertThat(tasks.asUi(model::upload)).isTrue();
        tasks.asUi(() -> model.field(ContextField.GOALS).set("Compare the lag phases"));
        assertThat(model.uploadAllowedBinding().get()).as("one upload at a time").isFalse();
        worker.lastUpload().accept(new UploadAccepted("s1", "dataset-volume-s1", "/sessions/s1/events", 2, 10));
        tasks.runAll();

        assertThat(worker.lastUpload().context.goals()).isNull();
        assertThat(model.uploadedProperty().get().sessionId()).isEqualTo("s1");
        assertThat(model.alreadyUploadedProperty().get()).isFalse();
        assertThat(model.uploadAllowedBinding().get()).isTrue();
        assertThat(model.progressTextProperty().get()).isEqualTo("Changed since the upload as session s1: Upload sends it as a new session.");
        assertThat(accepted).as("its session still opens").extracting(UploadAccepted::sessionId).containsExactly("s1");
    }

    @Test
    void newUploadClearsTheFilesKeepsTheFormAndDoesNotScoldTheEmptyList() {
        uploadAs("s1");
        tasks.asUi(model::newUpload);

        assertThat(model.files()).isEmpty();
        assertThat(model.field(ContextField.NAME).get()).isEqualTo("Growth");
        assertThat(model.field(ContextField.DESCRIPTION).get()).isEqualTo("OD600 over 60 h");
        assertThat(model.field(ContextField.TAGS).get()).isEqualTo("growth, e-coli");
        assertThat(model.errors()).as("no red 'add at least one file' before the user tried").isEmpty();
        assertThat(model.uploadedProperty().get()).isNull();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.IDLE);
        assertThat(model.progressTextProperty().get()).isEqualTo("Add the next dataset's files; the form is kept.");
        assertThat(model.uploadAllowedBinding().get()).isTrue();

        assertThat(tasks.asUi(model::upload)).as("pressed with no files: says so, sends nothing").isFalse();
        assertThat(model.errors()).containsEntry("files", "add at least one file or folder");
        tasks.asUi(() -> model.addFiles(List.of(b)));
        assertThat(model.errors()).isEmpty();
        assertThat(tasks.asUi(model::upload)).isTrue();
        assertThat(worker.lastUpload().context.name()).isEqualTo("Growth");
        assertThat(worker.lastUpload().files).containsExactly(b);
    }

    @Test
    void clearFormEmptiesFilesAndFieldsAndForgetsTheUpload() {
        uploadAs("s1");
        tasks.asUi(model::reset);

        assertThat(model.files()).isEmpty();
        for (var f : ContextField.values()) assertThat(model.field(f).get()).as(f.wire()).isEmpty();
        assertThat(model.errors()).isEmpty();
        assertThat(model.uploadedProperty().get()).isNull();
        assertThat(model.alreadyUploadedProperty().get()).isFalse();
        assertThat(model.progressTextProperty().get()).isEmpty();
        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.IDLE);
    }

    @Test
    void newUploadAndClearFormAreOffWhenTheyWouldClearNothingAndWhileAnUploadRuns() {
        assertThat(model.newUploadAllowedBinding().get()).as("files to clear").isTrue();
        assertThat(model.clearAllowedBinding().get()).isTrue();
        assertThat(tasks.asUi(model::upload)).isTrue();
        assertThat(model.newUploadAllowedBinding().get()).isFalse();
        assertThat(model.clearAllowedBinding().get()).isFalse();
        worker.lastUpload().accept(new UploadAccepted("s1", "dataset-volume-s1", "/sessions/s1/events", 2, 10));
        tasks.runAll();

        tasks.asUi(() -> model.removeFiles(List.copyOf(model.files())));
        assertThat(model.newUploadAllowedBinding().get()).as("an upload to forget").isTrue();
        tasks.asUi(model::newUpload);
        assertThat(model.newUploadAllowedBinding().get()).isFalse();
        assertThat(model.clearAllowedBinding().get()).as("the form is kept, so there is something to clear").isTrue();
        tasks.asUi(model::reset);
        assertThat(model.newUploadAllowedBinding().get()).isFalse();
        assertThat(model.clearAllowedBinding().get()).isFalse();
        tasks.asUi(() -> model.field(ContextField.HYPOTHESIS).set("ΔlacZ grows slower"));
        assertThat(model.clearAllowedBinding().get()).isTrue();
    }

    @Test
    void aCancelledUploadKeepsFilesAndFormAndCanBeSentAgain() {
        assertThat(tasks.asUi(model::upload)).isTrue();
        tasks.asUi(model::cancel);
        tasks.runAll();

        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.CANCELLED);
        assertThat(model.files()).containsExactly(a, b);
        assertThat(model.field(ContextField.NAME).get()).isEqualTo("Growth");
        assertThat(model.uploadedProperty().get()).isNull();
        assertThat(model.uploadAllowedBinding().get()).isTrue();
        assertThat(model.uploadLabelBinding().get()).isEqualTo("Upload");

        uploadAs("s1");
        assertThat(worker.uploads()).hasSize(2);
        assertThat(model.uploadedProperty().get().sessionId()).isEqualTo("s1");
    }

    @Test
    void aFailedRetryOfAChangedDatasetKeepsItAndTheEarlierUploadIsStillKnown() {
        uploadAs("s1");
        tasks.asUi(() -> model.field(ContextField.NAME).set("Growth, day 2"));
        assertThat(tasks.asUi(model::upload)).isTrue();
        worker.lastUpload().fail(WorkerException.status(503, "the worker is shutting down"));
        tasks.runAll();

        assertThat(model.phaseProperty().get()).isEqualTo(UploadPhase.FAILED);
        assertThat(model.messageProperty().get()).isNotEmpty();
        assertThat(model.field(ContextField.NAME).get()).isEqualTo("Growth, day 2");
        assertThat(model.files()).containsExactly(a, b);
        assertThat(model.uploadAllowedBinding().get()).as("a retry is one click").isTrue();
        assertThat(model.uploadedProperty().get().sessionId()).isEqualTo("s1");

        tasks.asUi(() -> model.field(ContextField.NAME).set("Growth"));
        assertThat(model.phaseProperty().get()).as("back to what session s1 holds").isEqualTo(UploadPhase.DONE);
        assertThat(model.messageProperty().get()).isEmpty();
        assertThat(model.uploadAllowedBinding().get()).isFalse();
    }

    @Test
    void theUploadedSessionIsOfferedOnlyWhileAnotherIsOnScreenAndOpensOnRequest() {
        assertThat(model.uploadedElsewhereBinding().get()).isFalse();
        uploadAs("s1");
        tasks.asUi(() -> model.openSessionIdProperty().set("s1"));
        assertThat(model.uploadedElsewhereBinding().get()).isFalse();

        tasks.asUi(() -> model.openSessionIdProperty().set("s0"));
        assertThat(model.uploadedElsewhereBinding().get()).isTrue();
        tasks.asUi(model::openUploaded);
        assertThat(reopened).extracting(UploadedDataset::sessionId).containsExactly("s1");
        assertThat(accepted).as("reopening is not another accepted upload").hasSize(1);

        tasks.asUi(model::newUpload);
        assertThat(model.uploadedElsewhereBinding().get()).isFalse();
        tasks.asUi(model::openUploaded);
        assertThat(reopened).hasSize(1);
    }
}
