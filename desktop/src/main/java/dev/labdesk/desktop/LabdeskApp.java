package dev.labdesk.desktop;

import dev.labdesk.desktop.client.WorkerConnector;
import dev.labdesk.desktop.embedded.AppDataDir;
import dev.labdesk.desktop.shell.MainViewModel;
import dev.labdesk.desktop.shell.MainWindow;
import dev.labdesk.desktop.tasks.VirtualThreadTaskExecutor;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * The JavaFX application and the desktop's composition root: one main window over one {@link MainViewModel},
 * whose work runs on virtual threads and comes back through {@code Platform::runLater}.
 */
public final class LabdeskApp extends Application {
    private MainViewModel model;
    private VirtualThreadTaskExecutor tasks;

    @Override
    public void start(Stage stage) {
        var hosts = getHostServices();
        tasks = new VirtualThreadTaskExecutor(Platform::runLater);
        model = new MainViewModel(AppDataDir.resolve(), tasks, url -> hosts.showDocument(url.toString()), WorkerConnector.HTTP);
        var window = new MainWindow(stage, model);
        window.show();
        model.start();
    }

    @Override
    public void stop() {
        if (model != null) model.close();
        if (tasks != null) tasks.close();
    }
}
