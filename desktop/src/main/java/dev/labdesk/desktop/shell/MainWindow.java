package dev.labdesk.desktop.shell;

import java.io.IOException;

import dev.labdesk.desktop.chat.ChatView;
import dev.labdesk.desktop.fx.FigureImages;
import dev.labdesk.desktop.log.LogView;
import dev.labdesk.desktop.sessions.RunProgressView;
import dev.labdesk.desktop.report.ReportView;
import dev.labdesk.desktop.sessions.SessionListView;
import dev.labdesk.desktop.settings.SettingsDialog;
import dev.labdesk.desktop.settings.Theme;
import dev.labdesk.desktop.upload.UploadView;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;

import java.util.Objects;

/**
 * The main window: sessions (left); drop zone, form and progress above the log and report (centre);
 * chat (right); the worker, its health and model mode in the status bar. Every action is in the
 * menu bar with a shortcut, so all of it works without a mouse.
 */
public final class MainWindow {
    private final MainViewModel model;
    private final Stage stage;
    private final BorderPane root = new BorderPane();
    private final UploadView upload;
    private final LogView log;
    private final ChatView chat;
    private final TabPane tabs = new TabPane();
    private final Tab logTab = new Tab("Log");
    private final Tab reportTab = new Tab("Report");
    private final Scene scene;

    public MainWindow(Stage stage, MainViewModel model) {
        this.stage = stage;
        this.model = model;
        this.upload = new UploadView(model.upload());
        this.log = new LogView(model.log(), model::showBanner);
        this.chat = new ChatView(model.chat());
        var sessions = new SessionListView(model.sessions(), model::open);

        logTab.setContent(log);
        logTab.setClosable(false);
        logTab.setId("log-tab");
        logTab.textProperty().bind(model.session().logTitleProperty());
        reportTab.setContent(new ReportView(model.session().reportProperty(), new FigureImages(model.session()::figure, model.tasks().background())));
        reportTab.setClosable(false);
        reportTab.setId("report-tab");
        tabs.getTabs().addAll(logTab, reportTab);
        tabs.setId("center-tabs");
        model.session().reportProperty().addListener((o, a, b) -> {
            if (b != null && !b.isEmpty()) tabs.getSelectionModel().select(reportTab);
        });
        model.session().sessionIdProperty().addListener((o, a, b) -> tabs.getSelectionModel().select(logTab));

        var run = new VBox(new RunProgressView(model.session().progress()), tabs);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        var center = new SplitPane(upload, run);
        center.setOrientation(Orientation.VERTICAL);
        center.setDividerPositions(0.44);
        SplitPane.setResizableWithParent(upload, false);

        var main = new SplitPane(sessions, center, chat);
        main.setDividerPositions(0.16, 0.73);
        SplitPane.setResizableWithParent(sessions, false);
        SplitPane.setResizableWithParent(chat, false);
        sessions.setMinWidth(170);
        chat.setMinWidth(300);

        root.setTop(new VBox(menus(), banner()));
        root.setCenter(main);
        root.setBottom(statusBar());
        root.getStyleClass().add("labdesk");

        // as large as a laptop screen allows, never larger than the screen
        var screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        scene = new Scene(root, Math.min(1440, screen.getWidth()), Math.min(900, screen.getHeight()));
        scene.getStylesheets().add(stylesheet("labdesk.css"));
        model.settingsProperty().addListener((o, a, b) -> applyTheme(b.theme()));
        applyTheme(model.settingsProperty().get().theme());
        stage.setScene(scene);
        stage.setTitle("Labdesk");
    }

    public Scene scene() {
        return scene;
    }

    private static String stylesheet(String name) {
        return Objects.requireNonNull(MainWindow.class.getResource("/dev/labdesk/desktop/" + name), name).toExternalForm();
    }

    private void applyTheme(Theme theme) {
        var dark = stylesheet("dark.css");
        scene.getStylesheets().remove(dark);
        if (theme == Theme.DARK) scene.getStylesheets().add(dark);
    }

    private MenuBar menus() {
        var addFiles = item("Add files…", "Shortcut+O", upload::pickFiles);
        var addFolder = item("Add folder…", "Shortcut+Shift+O", upload::pickFolder);
        var send = item("Upload", "Shortcut+U", () -> model.upload().upload());
        send.disableProperty().bind(model.upload().uploadAllowedBinding().not());
        var cancel = item("Cancel upload", "Shortcut+Shift+U", () -> model.upload().cancel());
        var next = item("New upload", "Shortcut+N", () -> model.upload().newUpload());
        next.disableProperty().bind(model.upload().newUploadAllowedBinding().not());
        var reset = item("Clear form", "Shortcut+Shift+N", () -> model.upload().reset());
        reset.disableProperty().bind(model.upload().clearAllowedBinding().not());
        var settings = item("Settings…", "Shortcut+Comma", () -> openSettings(false));
        var browser = item("Open in browser", "Shortcut+B", model::openInBrowser);
        browser.setId("menu-open-in-browser");
        browser.disableProperty().bind(model.readyProperty().not());
        var quit = item("Quit", "Shortcut+Q", stage::close);
        var file = new Menu("_File", null, addFiles, addFolder, new SeparatorMenuItem(), send, cancel, next, reset,
                new SeparatorMenuItem(), settings, browser, new SeparatorMenuItem(), quit);

        var refresh = item("Refresh sessions", "F5", () -> model.sessions().refresh());
        var showLog = item("Show log", "Shortcut+L", () -> {
            tabs.getSelectionModel().select(logTab);
            log.list().requestFocus();
        });
        var showReport = item("Show report", "Shortcut+R", () -> tabs.getSelectionModel().select(reportTab));
        var cancelRun = item("Cancel run", "Shortcut+Shift+K", () -> model.session().cancel());
        var session = new Menu("_Session", null, refresh, showLog, showReport, cancelRun);

        var find = item("Find in log", "Shortcut+F", () -> {
            tabs.getSelectionModel().select(logTab);
            log.focusSearch();
        });
        var follow = new CheckMenuItem("Follow");
        follow.selectedProperty().bindBidirectional(model.log().followProperty());
        follow.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+F"));
        var times = new CheckMenuItem("Timestamps");
        times.selectedProperty().bindBidirectional(model.log().timestampsProperty());
        times.setAccelerator(KeyCombination.keyCombination("Shortcut+T"));
        var save = item("Save log…", "Shortcut+S", log::chooseFileAndSave);
        var logMenu = new Menu("_Log", null, find, follow, times, save);

        var message = item("Write a message", "Shortcut+M", chat::focusInput);
        var stop = item("Stop reply", "Shortcut+Shift+S", () -> model.chat().stop());
        var chatMenu = new Menu("_Chat", null, message, stop);

        var dark = new CheckMenuItem("Dark theme");
        dark.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+D"));
        dark.setSelected(model.settingsProperty().get().theme() == Theme.DARK);
        model.settingsProperty().addListener((o, a, b) -> dark.setSelected(b.theme() == Theme.DARK));
        dark.setOnAction(e -> model.useTheme(dark.isSelected() ? Theme.DARK : Theme.LIGHT));
        var view = new Menu("_View", null, dark);
        var bar = new MenuBar(file, session, logMenu, chatMenu, view);
        bar.setId("menu-bar");
        return bar;
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        var item = new MenuItem(text);
        item.setAccelerator(KeyCombination.keyCombination(accelerator));
        item.setOnAction(e -> action.run());
        return item;
    }

    private HBox banner() {
        var text = new Label();
        text.setId("banner-text");
        text.setWrapText(true);
        text.textProperty().bind(Bindings.createStringBinding(() -> model.bannerProperty().get().text(), model.bannerProperty()));
        HBox.setHgrow(text, Priority.ALWAYS);
        text.setMaxWidth(Double.MAX_VALUE);
        var settings = new Button("Open Settings");
        settings.setId("banner-open-settings");
        settings.setDefaultButton(false);
        settings.setOnAction(e -> openSettings(true));
        settings.visibleProperty().bind(Bindings.createBooleanBinding(
                () -> model.bannerProperty().get().kind() == Banner.Kind.KEY_REFUSED, model.bannerProperty()));
        settings.managedProperty().bind(settings.visibleProperty());
        var close = new Button("Dismiss");
        close.setId("banner-dismiss");
        close.setOnAction(e -> model.dismissBanner());
        var box = new HBox(10, text, settings, close);
        box.setId("banner");
        box.setAlignment(Pos.CENTER_LEFT);
        box.setPadding(new Insets(6, 12, 6, 12));
        box.getStyleClass().add("banner");
        box.visibleProperty().bind(Bindings.createBooleanBinding(() -> model.bannerProperty().get().shown(), model.bannerProperty()));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    private StatusBar statusBar() {
        var bar = new StatusBar();
        bar.setId("status-bar");
        bar.textProperty().bind(model.workerProperty());
        var health = new Label();
        health.setId("status-health");
        health.textProperty().bind(model.healthCaptionProperty());
        health.getStyleClass().add("status-item");
        model.healthyProperty().subscribe(ok -> {
            health.getStyleClass().removeAll("status-ok", "status-bad");
            health.getStyleClass().add(ok ? "status-ok" : "status-bad");
        });
        var mode = new Label();
        mode.setId("status-mode");
        mode.getStyleClass().add("status-item");
        mode.textProperty().bind(model.modelProperty());
        var key = new Label("key refused");
        key.setId("status-key");
        key.getStyleClass().addAll("status-item", "status-bad");
        key.visibleProperty().bind(model.keyRefusedProperty());
        key.managedProperty().bind(key.visibleProperty());
        var gap = new Region();
        gap.setMinWidth(12);
        var gap2 = new Region();
        gap2.setMinWidth(12);
        gap2.managedProperty().bind(key.visibleProperty());
        bar.getRightItems().addAll(key, gap2, health, gap, mode);
        return bar;
    }

    /** {@code forKey}: opened from the refused-key banner, so the dialog says so and starts in the key field. */
    private void openSettings(boolean forKey) {
        var current = model.settingsProperty().get();
        var dialog = new SettingsDialog(stage, current);
        if (forKey) dialog.askForKey(current.embedded() ? "the embedded worker" : current.workerUrl());
        dialog.showAndWait().ifPresent(s -> {
            try {
                model.applySettings(s);
            } catch (IOException e) {
                model.showBanner("Could not save the settings: " + e.getMessage());
            }
        });
    }

    public void show() {
        stage.show();
        Platform.runLater(() -> upload.lookup("#field-name").requestFocus());
    }
}
