package dev.labdesk.desktop;

import dev.labdesk.desktop.embedded.AppDataDir;
import dev.labdesk.desktop.shell.MainViewModel;
import dev.labdesk.desktop.shell.MainWindow;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/** The JavaFX application: one main window over one {@link MainViewModel}. */
public final class LabdeskApp extends Application {
    private MainViewModel model;

    @Override
    public void start(Stage stage) {
        var hosts = getHostServices();
        model = new MainViewModel(AppDataDir.resolve(), Platform::runLater, url -> hosts.showDocument(url.toString()));
        var window = new MainWindow(stage, model);
        window.show();
        model.start();
    }

    @Override
    public void stop() {
        if (model != null) model.close();
    }
}
