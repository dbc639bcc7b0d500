package dev.labdesk.desktop.upload;

import dev.labdesk.model.ContextField;

import dev.labdesk.desktop.SerialUi;
import dev.labdesk.desktop.TestData;
import dev.labdesk.desktop.client.LocalFile;
import dev.labdesk.desktop.client.WorkerAddress;
import dev.labdesk.desktop.client.WorkerClient;
import dev.labdesk.desktop.tasks.VirtualThreadTaskExecutor;
import dev.labdesk.model.UploadAccepted;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The form and upload view model without UI, against a real worker over HTTP (its unit tests: {@link UploadViewModelTest}). */
class UploadViewModelIntegrationTest {
    @TempDir Path tmp;
    Worker worker;
    WorkerClient client;
    SerialUi ui = new SerialUi();
    AtomicReference<UploadAccepted> accepted = new AtomicReference<>();
    UploadViewModel model;

    @BeforeEach
    void start() throws Exception {
        worker = new Worker(WorkerConfig.local(Files.createDirectories(tmp.resolve("w")))).start();
        client = new WorkerClient(WorkerAddress.of(worker.baseUrl()));
        model = ui.call(() -> new UploadViewModel(() -> client, new VirtualThreadTaskExecutor(ui), accepted::set));
    }

    @AfterEach
    void stop() {
        ui.close();
        client.close();
        worker.close();
    }

    @Test
    void anUntouchedFormShowsNoErrorsUntilUploadIsPressedThenEveryOne() throws Exception {
        assertThat(ui.call(() -> Map.copyOf(model.errors()))).isEmpty();
        assertThat(ui.call(model::upload)).isFalse();
        var errors = ui.call(() -> Map.copyOf(model.errors()));
        assertThat(errors).containsEntry("name", "is required").containsEntry("description", "is required")
                .containsEntry("files", "add at least one file or folder");
        assertThat(worker.sessions().store().list(10)).isEmpty();
    }

    @Test
    void aFieldShowsItsErrorOnceEditedAndLosesItWhenFixed() throws Exception {
        ui.run(() -> model.field(ContextField.CONTACT_EMAIL).set("ada@"));
        assertThat(ui.call(() -> Map.copyOf(model.errors())))
                .containsOnlyKeys("contact_email")
                .containsEntry("contact_email", "must be an email address like name@example.org");
        ui.run(() -> model.field(ContextField.CONTACT_EMAIL).set("ada@example.org"));
        assertThat(ui.call(() -> Map.copyOf(model.errors()))).isEmpty();

        ui.run(() -> model.field(ContextField.TAGS).set("growth, growth"));
        assertThat(ui.call(() -> model.errors().get("tags"))).isEqualTo("duplicate tag 'growth'");
        ui.run(() -> model.field(ContextField.PARAMETERS).set("temperature = 37\nrpm"));
        assertThat(ui.call(() -> model.errors().get("parameters"))).isEqualTo("line 2: write key = value");
        ui.run(() -> model.field(ContextField.PARAMETERS).set("1bad = 3"));
        assertThat(ui.call(() -> model.errors().get("parameters"))).startsWith("key '1bad' must be");
    }

    @Test
    void parametersAreSentAsNumbersBooleansOrText() {
        var p = Parameters.parse("temperature = 37.5\nreplicate = 3\nblind = true\nstrain = wt\n# a comment");
        assertThat(p.error()).isEmpty();
        assertThat(p.values()).containsExactly(Map.entry("temperature", 37.5), Map.entry("replicate", 3L),
                Map.entry("blind", true), Map.entry("strain", "wt"));
    }

    @Test
    void addingAFolderListsItsFilesWithTheFolderNameAndUploadOpensTheSession() throws Exception {
        var folder = TestData.nestedDataset(tmp);
        ui.run(() -> model.addPaths(List.of(folder)));
        await().atMost(Duration.ofSeconds(5)).until(() -> ui.call(() -> model.files().size()) == 4);
        assertThat(ui.call(() -> model.files().stream().map(LocalFile::relativePath).toList()))
                .containsExactly("plates/day1/growth.csv", "plates/day1/raw/od600.csv", "plates/day2/growth.csv", "plates/notes.txt");
        ui.run(() -> model.addPaths(List.of(folder))); // the same folder again replaces, never doubles
        ui.run(() -> {
            model.field(ContextField.NAME).set("Growth");
            model.field(ContextField.DESCRIPTION).set("OD600 over 60 h");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> ui.call(() -> model.files().size()) == 4);

        assertThat(ui.call(model::upload)).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> accepted.get() != null);
        assertThat(ui.call(() -> model.phaseProperty().get())).isEqualTo(UploadPhase.DONE);
        assertThat(ui.call(() -> model.progressProperty().get())).isEqualTo(1.0);
        assertThat(worker.sessions().store().get(accepted.get().sessionId())).isPresent();
    }

    @Test
    void anUnreachableWorkerBecomesAMessageNotAStackTrace() throws Exception {
        var file = Files.writeString(tmp.resolve("a.csv"), "x\n1\n");
        worker.close();
        ui.run(() -> {
            model.addFiles(List.of(new LocalFile(file, "a.csv", 4)));
            model.field(ContextField.NAME).set("n");
            model.field(ContextField.DESCRIPTION).set("d");
            model.upload();
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> ui.call(() -> model.phaseProperty().get()) == UploadPhase.FAILED);
        assertThat(ui.call(() -> model.messageProperty().get())).contains("is unreachable").doesNotContain("Exception");
    }
}
