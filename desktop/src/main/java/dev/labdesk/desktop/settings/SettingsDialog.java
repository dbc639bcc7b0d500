package dev.labdesk.desktop.settings;

import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.stage.Window;

import java.util.stream.Collectors;

/**
 * Worker URL (empty: embedded), the worker's API key (masked; the embedded worker needs none),
 * Modal proxy-auth key and secret, user id, theme.
 */
public final class SettingsDialog extends Dialog<Settings> {
    private final PasswordField apiKey = new PasswordField();

    public SettingsDialog(Window owner, Settings current) {
        initOwner(owner);
        setTitle("Settings");
        setHeaderText("Where the worker is, and who you are");
        getDialogPane().setId("settings-dialog");
        var url = new TextField(current.workerUrl());
        url.setId("settings-worker-url");
        url.setPromptText("empty: run the worker inside the app");
        apiKey.setText(current.apiKey());
        apiKey.setId("settings-api-key");
        apiKey.setPromptText("the worker's key: its data dir's 'token' file or yours from LABDESK_API_KEYS");
        // the embedded worker gets a fresh key at each launch: nothing to enter
        apiKey.disableProperty().bind(url.textProperty().isEmpty());
        var key = new TextField(current.modalKey());
        key.setId("settings-modal-key");
        key.setPromptText("Modal proxy-auth token id (wk-…)");
        var secret = new PasswordField();
        secret.setText(current.modalSecret());
        secret.setId("settings-modal-secret");
        secret.setPromptText("Modal proxy-auth token secret (ws-…)");
        var user = new TextField(current.userId());
        user.setId("settings-user-id");
        var theme = new ChoiceBox<Theme>();
        theme.getItems().setAll(Theme.values());
        theme.setValue(current.theme());
        theme.setId("settings-theme");

        var grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.setPadding(new Insets(12));
        grid.addRow(0, new Label("Worker URL"), url);
        grid.addRow(1, new Label("API key"), apiKey);
        grid.addRow(2, new Label("Modal key"), key);
        grid.addRow(3, new Label("Modal secret"), secret);
        grid.addRow(4, new Label("User id"), user);
        grid.addRow(5, new Label("Theme"), theme);
        GridPane.setHgrow(url, Priority.ALWAYS);
        url.setPrefColumnCount(36);
        var problems = new Label();
        problems.getStyleClass().add("field-error");
        problems.setWrapText(true);
        grid.add(problems, 0, 6, 2, 1);
        getDialogPane().setContent(grid);
        getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);

        var draft = Bindings.createObjectBinding(() -> new Settings(url.getText(), apiKey.getText(), key.getText(), secret.getText(),
                        user.getText(), theme.getValue()),
                url.textProperty(), apiKey.textProperty(), key.textProperty(), secret.textProperty(), user.textProperty(), theme.valueProperty());
        problems.textProperty().bind(Bindings.createStringBinding(() -> draft.get().problems().stream()
                .map(p -> p.field().replace('_', ' ') + " " + p.message()).collect(Collectors.joining("\n")), draft));
        getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(problems.textProperty().isNotEmpty());
        setResultConverter(b -> b != null && b.getButtonData() == ButtonBar.ButtonData.OK_DONE ? draft.get() : null);
    }

    /** Opened because the worker refused the key: says so and puts the cursor in the key field, its text selected. */
    public SettingsDialog askForKey(String workerUrl) {
        setHeaderText("The worker at " + workerUrl + " refused the key.\nEnter the key it was given (LABDESK_API_KEYS, or its 'token' file).");
        setOnShown(e -> Platform.runLater(() -> {
            apiKey.requestFocus();
            apiKey.selectAll();
        }));
        return this;
    }
}
