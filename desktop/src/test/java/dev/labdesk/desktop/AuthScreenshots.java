package dev.labdesk.desktop;

import dev.labdesk.desktop.settings.Settings;
import dev.labdesk.desktop.settings.SettingsStore;
import dev.labdesk.desktop.settings.Theme;
import dev.labdesk.desktop.shell.Banner;
import dev.labdesk.desktop.shell.MainViewModel;
import dev.labdesk.desktop.shell.MainWindow;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.auth.ApiKey;
import dev.labdesk.worker.auth.AuthSettings;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.labdesk.desktop.ScreenshotTour.await;
import static dev.labdesk.desktop.ScreenshotTour.onFx;

/**
 * The app on a remote worker that refuses the key in Settings: the refused-key banner, then the
 * Settings dialog its button opens, as {@code desktop-auth-banner.png} and {@code desktop-settings-key.png}.
 * Run under Xvfb like {@link ScreenshotTour}.
 */
public final class AuthScreenshots {
    public static void main(String[] args) throws Exception {
        var out = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "docs/screenshots"));
        var tmp = Files.createTempDirectory("labdesk-auth-shots");
        var worker = new Worker(WorkerConfig.local(Files.createDirectories(tmp.resolve("worker")))
                .withAuth(AuthSettings.keys(List.of(ApiKey.plain("ada", "ada-key-0123456789abcdef", false))))).start();
        var home = tmp.resolve("home");
        new SettingsStore(home).save(new Settings(worker.baseUrl().toString(), "an-old-key-0123456789", "", "", "ada", Theme.LIGHT));
        Platform.startup(() -> {});
        var model = onFx(() -> new MainViewModel(home, Platform::runLater, url -> { throw new IllegalStateException("no browser here"); }));
        var window = onFx(() -> {
            var w = new MainWindow(new Stage(), model);
            w.show();
            return w;
        });
        onFx(() -> { model.start(); return null; });
        await(() -> onFx(() -> model.bannerProperty().get().kind() == Banner.Kind.KEY_REFUSED), 30);
        Thread.sleep(700);
        write(onFx(() -> window.scene().snapshot(null)), out.resolve("desktop-auth-banner.png"));

        // showAndWait runs a nested loop inside this runLater: do not wait for it
        Platform.runLater(() -> ((Button) window.scene().lookup("#banner-open-settings")).fire());
        await(() -> onFx(() -> dialogScene() != null), 10);
        Thread.sleep(700);
        write(onFx(() -> dialogScene().snapshot(null)), out.resolve("desktop-settings-key.png"));

        onFx(() -> {
            dialogScene().getWindow().hide();
            return null;
        });
        onFx(() -> { model.close(); return null; });
        worker.close();
        Platform.exit();
        System.exit(0);
    }

    private static Scene dialogScene() {
        return Window.getWindows().stream().map(Window::getScene)
                .filter(s -> s != null && s.getRoot() != null && "settings-dialog".equals(s.getRoot().getId()))
                .findFirst().orElse(null);
    }

    private static void write(javafx.scene.image.WritableImage image, Path file) throws Exception {
        PngFiles.write(image, file);
        System.out.println("wrote " + file);
    }
}
