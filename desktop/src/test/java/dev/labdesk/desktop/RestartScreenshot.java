package dev.labdesk.desktop;

import dev.labdesk.model.ContextField;

import dev.labdesk.desktop.shell.MainViewModel;
import dev.labdesk.desktop.shell.MainWindow;
import javafx.application.Platform;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.labdesk.desktop.ScreenshotTour.await;
import static dev.labdesk.desktop.ScreenshotTour.onFx;

/**
 * The app after a restart: one run and a short chat on the embedded worker, the app quit, started
 * again on the same app-data folder and the session reopened, as {@code desktop-after-restart.png}.
 * Run under Xvfb like {@link ScreenshotTour}.
 */
public final class RestartScreenshot {
    public static void main(String[] args) throws Exception {
        var out = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "docs/screenshots"));
        var home = Files.createTempDirectory("labdesk-restart-shot");
        var dataset = TestData.nestedDataset(Files.createTempDirectory("labdesk-restart-data"));
        Platform.startup(() -> {});
        var stage = onFx(Stage::new);

        var first = launch(home, stage);
        onFx(() -> {
            var u = first.upload();
            u.field(ContextField.NAME).set("Growth curves, E. coli wt vs ΔlacZ");
            u.field(ContextField.DESCRIPTION).set("OD600 every hour for 60 h on a 96-well plate reader.");
            u.addPaths(List.of(dataset));
            return null;
        });
        await(() -> onFx(() -> first.upload().files().size() == 4), 10);
        onFx(() -> first.upload().upload());
        await(() -> onFx(() -> !first.session().reportProperty().get().isEmpty()), 120);
        say(first, "Hi! I'm Ada Lovelace, a postdoc in microbiology at the Crick.", 2);
        say(first, "I work on bacterial growth and want to compare strains.", 4);
        onFx(() -> { first.close(); return null; });

        var again = launch(home, stage);
        await(() -> onFx(() -> again.sessions().sessions().size() == 1 && again.chat().messages().size() == 4), 30);
        onFx(() -> { again.open(again.sessions().sessions().getFirst()); return null; });
        await(() -> onFx(() -> !again.session().reportProperty().get().isEmpty()), 30);
        onFx(() -> {
            // the replayed log is what shows the history came back; the report tab opened on its own
            ((TabPane) stage.getScene().lookup("#center-tabs")).getSelectionModel().select(0);
            return null;
        });
        Thread.sleep(1000);
        var image = onFx(() -> stage.getScene().snapshot(null));
        var file = PngFiles.write(image, out.resolve("desktop-after-restart.png"));
        System.out.println("wrote " + file);

        onFx(() -> { again.close(); return null; });
        Platform.exit();
        System.exit(0);
    }

    private static MainViewModel launch(Path home, Stage stage) throws Exception {
        var model = onFx(() -> {
            var m = new MainViewModel(home, Platform::runLater, url -> { throw new IllegalStateException("no browser here"); });
            new MainWindow(stage, m).show();
            m.start();
            return m;
        });
        await(() -> onFx(() -> model.readyProperty().get()), 30);
        return model;
    }

    private static void say(MainViewModel model, String text, int messagesAfter) throws Exception {
        await(() -> onFx(() -> model.chat().connectedProperty().get()), 10);
        onFx(() -> {
            model.chat().draftProperty().set(text);
            return model.chat().send();
        });
        await(() -> onFx(() -> model.chat().messages().size() >= messagesAfter && !model.chat().replyingProperty().get()), 30);
    }
}
