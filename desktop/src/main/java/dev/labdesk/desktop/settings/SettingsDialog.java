package dev.labdesk.desktop.settings;

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

/** Worker URL (empty: embedded), Modal proxy-auth key and secret, user id, theme. */
public final class SettingsDialog extends Dialog<Settings> {
    public SettingsDialog(Window owner, Settings current) {
        initOwner(owner);
        setTitle("Settings");
        setHeaderText("Where the worker is, and who you are");
        var url = new TextField(current.workerUrl());
        url.setId("settings-worker-url");
        url.setPromptText("empty: run the worker inside the app");
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
        grid.addRow(1, new Label("Modal key"), key);
        grid.addRow(2, new Label("Modal secret"), secret);
        grid.addRow(3, new Label("User id"), user);
        grid.addRow(4, new Label("Theme"), theme);
        GridPane.setHgrow(url, Priority.ALWAYS);
        url.setPrefColumnCount(32);
        var problems = new Label();
        problems.getStyleClass().add("field-error");
        problems.setWrapText(true);
        grid.add(problems, 0, 5, 2, 1);
        getDialogPane().setContent(grid);
        getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);

        var draft = Bindings.createObjectBinding(() -> new Settings(url.getText(), key.getText(), secret.getText(), user.getText(), theme.getValue()),
                url.textProperty(), key.textProperty(), secret.textProperty(), user.textProperty(), theme.valueProperty());
        problems.textProperty().bind(Bindings.createStringBinding(() -> draft.get().problems().stream()
                .map(p -> p.field().replace('_', ' ') + " " + p.message()).collect(Collectors.joining("\n")), draft));
        getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(problems.textProperty().isNotEmpty());
        setResultConverter(b -> b != null && b.getButtonData() == ButtonBar.ButtonData.OK_DONE ? draft.get() : null);
    }
}
