package dev.labdesk.desktop.log;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.util.List;
import java.util.function.Consumer;

/**
 * The live log: a virtualized list fed once per pulse by an {@link AnimationTimer}, with a level
 * filter, search over every kept line, follow (auto-scroll only while the user is at the bottom),
 * copy, save and a timestamps toggle.
 */
public final class LogView extends VBox {
    public static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    private final LogViewModel model;
    private final LogLinesView list;
    private final TextField search = new TextField();
    private final Consumer<String> errors;
    private final AnimationTimer pulse;

    public LogView(LogViewModel model, Consumer<String> errors) {
        this.model = model;
        this.errors = errors;
        this.list = new LogLinesView(model.visibleLines(), line -> line.format(model.timestampsProperty().get()),
                "The agent's log appears here once a dataset is uploaded.");
        getStyleClass().add("log-pane");

        var level = new ComboBox<LogLevel>();
        level.getItems().setAll(LogLevel.values());
        level.valueProperty().bindBidirectional(model.minimumLevelProperty());
        level.setTooltip(new Tooltip("Show this level and worse"));
        level.setId("log-level");
        level.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(LogLevel l) {
                return l == null ? "" : switch (l) {
                    case TRACE -> "All levels";
                    case DEBUG -> "Debug and up";
                    case INFO -> "Info and up";
                    case WARN -> "Warnings and up";
                    case ERROR -> "Errors only";
                };
            }
            @Override public LogLevel fromString(String s) { return null; }
        });

        search.setPromptText("Find in log (Ctrl+F)");
        search.textProperty().bindBidirectional(model.searchProperty());
        search.setId("log-search");
        HBox.setHgrow(search, Priority.ALWAYS);
        search.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                search.clear();
                list.requestFocus();
            }
        });
        var matches = new Label();
        matches.getStyleClass().add("muted");
        matches.textProperty().bind(model.matchesCaptionProperty());
        matches.setMinWidth(Region.USE_PREF_SIZE);

        var follow = new ToggleButton("Follow");
        follow.selectedProperty().bindBidirectional(model.followProperty());
        follow.setTooltip(new Tooltip("Keep the newest line in view"));
        follow.setId("log-follow");
        var timestamps = new ToggleButton("Times");
        timestamps.selectedProperty().bindBidirectional(model.timestampsProperty());
        timestamps.setTooltip(new Tooltip("Show timestamps"));
        var copy = new Button("Copy");
        copy.setOnAction(e -> copySelection());
        copy.disableProperty().bind(list.selectedCountProperty().isEqualTo(0));
        var save = new Button("Save…");
        save.setOnAction(e -> chooseFileAndSave());
        var connection = new Label();
        connection.getStyleClass().add("connection");
        connection.textProperty().bind(model.connectionProperty());
        connection.setMinWidth(Region.USE_PREF_SIZE);

        var bar = new HBox(6, level, search, matches, follow, timestamps, copy, save);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));
        bar.getStyleClass().add("log-toolbar");

        list.setId("log-list");
        list.getStyleClass().add("log-list");
        model.timestampsProperty().addListener((o, a, b) -> list.setFormat(line -> line.format(b)));
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN).match(e)) {
                copySelection();
                e.consume();
            }
        });
        // follow turns off when the user moves away from the bottom, and on again when they return
        list.setOnUserScroll(atEnd -> {
            if (model.followProperty().get() != atEnd) model.followProperty().set(atEnd);
        });
        model.followProperty().addListener((o, was, now) -> {
            if (now) list.scrollToEnd();
        });
        VBox.setVgrow(list, Priority.ALWAYS);

        var footer = new HBox(8, connection);
        footer.setPadding(new Insets(2, 8, 4, 8));
        footer.getStyleClass().add("log-footer");
        var droppedNote = new Label();
        droppedNote.getStyleClass().add("muted");
        droppedNote.textProperty().bind(model.droppedCaptionProperty());
        footer.getChildren().add(droppedNote);

        getChildren().addAll(bar, list, footer);

        pulse = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (model.drain() > 0 && model.followProperty().get()) list.scrollToEnd();
            }
        };
        sceneProperty().addListener((o, was, scene) -> {
            if (scene != null) pulse.start();
            else pulse.stop();
        });
    }

    /** Focuses the search field (Ctrl+F). */
    public void focusSearch() {
        search.requestFocus();
        search.selectAll();
    }

    public LogLinesView list() {
        return list;
    }

    private void copySelection() {
        List<LogLine> selected = list.selectedLines();
        if (selected.isEmpty()) return;
        var content = new ClipboardContent();
        content.putString(model.copyText(selected));
        Clipboard.getSystemClipboard().setContent(content);
    }

    /** Asks where to save, then saves every kept line (the Save… button and the Log menu both come here). */
    public void chooseFileAndSave() {
        var chooser = new FileChooser();
        chooser.setTitle("Save log");
        chooser.setInitialFileName("labdesk-log.txt");
        var file = chooser.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (file == null) return;
        model.saveTo(file.toPath()).exceptionally(e -> {
            Platform.runLater(() -> errors.accept(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
            return null;
        });
    }
}
