package dev.labdesk.desktop;

import dev.labdesk.model.ContextField;

import dev.labdesk.desktop.settings.Theme;
import dev.labdesk.desktop.shell.MainViewModel;
import dev.labdesk.desktop.shell.MainWindow;
import dev.labdesk.desktop.upload.UploadPhase;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives the real app on the embedded worker through its states — empty, uploading, finished (report
 * open), chat — and writes a PNG of the window for each, light and dark, into {@code docs/screenshots/}.
 * Run under Xvfb: {@code xvfb-run -s "-screen 0 1600x1000x24" java -cp … dev.labdesk.desktop.ScreenshotTour docs/screenshots}.
 */
public final class ScreenshotTour {
    public static void main(String[] args) throws Exception {
        var out = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "docs/screenshots"));
        var home = Files.createTempDirectory("labdesk-tour");
        var data = Files.createTempDirectory("labdesk-tour-data");
        Platform.startup(() -> {});
        var model = onFx(() -> new MainViewModel(home, Platform::runLater, url -> { throw new IllegalStateException("the tour opens no browser"); }));
        var window = onFx(() -> {
            var w = new MainWindow(new Stage(), model);
            w.show();
            return w;
        });
        onFx(() -> { model.start(); return null; });
        await(() -> onFx(() -> model.readyProperty().get() && !model.modelProperty().get().isEmpty()), 30);
        Thread.sleep(500);
        shoot(window.scene(), model, out, "empty");

        var dataset = TestData.nestedDataset(data);
        // one large file so the uploading state lasts long enough to be seen
        try (var big = new RandomAccessFile(dataset.resolve("day2/raw-scan.bin").toFile(), "rw")) {
            big.setLength(1_500L * 1024 * 1024);
        }
        onFx(() -> {
            var u = model.upload();
            u.field(ContextField.NAME).set("Growth curves, E. coli wt vs ΔlacZ");
            u.field(ContextField.DESCRIPTION).set("OD600 every hour for 60 h on a 96-well plate reader, two strains, three replicates.");
            u.field(ContextField.GOALS).set("Compare growth rates and lag phase between strains.");
            u.field(ContextField.HYPOTHESIS).set("ΔlacZ grows slower on lactose.");
            u.field(ContextField.CONTACT_EMAIL).set("ada@example.org");
            u.field(ContextField.TAGS).set("growth, e-coli, plate-reader");
            u.field(ContextField.PARAMETERS).set("temperature = 37\nshaking_rpm = 200");
            u.addPaths(List.of(dataset));
            return null;
        });
        await(() -> onFx(() -> model.upload().files().size() == 5), 10);
        onFx(() -> model.upload().upload());
        await(() -> onFx(() -> model.upload().phaseProperty().get() == UploadPhase.UPLOADING
                && model.upload().progressProperty().get() > 0.25), 60);
        shoot(window.scene(), model, out, "uploading");

        await(() -> onFx(() -> !model.session().reportProperty().get().isEmpty()), 120);
        Thread.sleep(700);
        shoot(window.scene(), model, out, "finished");

        onFx(() -> {
            ((javafx.scene.control.TabPane) window.scene().lookup("#center-tabs")).getSelectionModel().select(0);
            var log = (dev.labdesk.desktop.log.LogLinesView) window.scene().lookup("#log-list");
            log.requestFocus();
            log.select(log.items().size() - 5, log.items().size() - 3);
            return null;
        });
        Thread.sleep(500);
        shoot(window.scene(), model, out, "log");

        onFx(() -> {
            model.chat().draftProperty().set("Hi! I'm Ada, a postdoc in microbiology at the Crick.");
            model.chat().send();
            return null;
        });
        await(() -> onFx(() -> model.chat().messages().size() >= 2 && !model.chat().replyingProperty().get()), 30);
        onFx(() -> {
            model.chat().draftProperty().set("I work on bacterial growth and want to compare strains.");
            model.chat().send();
            return null;
        });
        await(() -> onFx(() -> model.chat().messages().size() >= 4 && !model.chat().replyingProperty().get()), 30);
        // a field corrected by hand: saved on the worker, shown "set by you"
        var organisation = onFx(() -> model.chat().profile().stream()
                .filter(r -> r.field() == dev.labdesk.model.ProfileField.ORGANISATION).findFirst().orElseThrow());
        onFx(() -> {
            organisation.valueProperty().set("The Francis Crick Institute");
            return model.chat().commit(organisation);
        });
        await(() -> onFx(() -> organisation.byHandProperty().get()), 10);
        Thread.sleep(700);
        shoot(window.scene(), model, out, "chat");

        onFx(() -> { model.close(); return null; });
        Platform.exit();
        System.exit(0);
    }

    private static void shoot(Scene scene, MainViewModel model, Path out, String state) throws Exception {
        for (var theme : Theme.values()) {
            onFx(() -> {
                var s = model.settingsProperty().get();
                model.applySettings(s.withTheme(theme));
                return null;
            });
            Thread.sleep(300);
            var image = onFx(() -> scene.snapshot(null));
            var file = PngFiles.write(image, out.resolve("desktop-" + state + "-" + theme.name().toLowerCase(java.util.Locale.ROOT) + ".png"));
            System.out.println("wrote " + file);
        }
    }

    interface FxCall<T> {
        T call() throws Exception;
    }

    static <T> T onFx(FxCall<T> call) throws Exception {
        var f = new CompletableFuture<T>();
        Platform.runLater(() -> {
            try {
                f.complete(call.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(Check check, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.ok()) {
            if (System.nanoTime() > end) throw new IllegalStateException("timed out after " + seconds + " s");
            Thread.sleep(50);
        }
    }
}
