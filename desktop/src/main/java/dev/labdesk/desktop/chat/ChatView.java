package dev.labdesk.desktop.chat;

import dev.labdesk.desktop.fx.MarkdownView;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.ChatRole;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The chat panel: the conversation (assistant replies rendered as Markdown while they stream),
 * the input (Enter sends, Shift+Enter is a new line), Stop, and the extracted profile.
 */
public final class ChatView extends VBox {
    private final ChatViewModel model;
    private final VBox conversation = new VBox(8);
    private final ScrollPane scroll = new ScrollPane(conversation);
    private final TextArea input = new TextArea();

    public ChatView(ChatViewModel model) {
        this.model = model;
        getStyleClass().add("chat-pane");
        setSpacing(6);
        setPadding(new Insets(10));

        var title = new Label("Onboarding chat");
        title.getStyleClass().add("pane-title");
        var mode = new Label();
        mode.getStyleClass().add("badge");
        mode.textProperty().bind(Bindings.createStringBinding(() -> model.modeProperty().get() == null ? ""
                : model.modeProperty().get() == ChatMode.LLM ? "model" : "offline interview", model.modeProperty()));
        mode.visibleProperty().bind(mode.textProperty().isNotEmpty());
        var spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        var state = new Label();
        state.setId("chat-connection");
        state.getStyleClass().add("muted");
        state.textProperty().bind(model.connectionProperty());
        state.setMaxWidth(160);
        var header = new HBox(8, title, mode, spacer, state);
        header.setAlignment(Pos.CENTER_LEFT);

        conversation.setPadding(new Insets(6));
        conversation.setId("chat-messages");
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("chat-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        var empty = new Label("Say hello: the onboarding agent asks a few questions and fills in your profile.");
        empty.setWrapText(true);
        empty.getStyleClass().add("muted");
        model.messages().addListener((ListChangeListener<ChatItem>) c -> rebuild(empty));
        rebuild(empty);
        conversation.heightProperty().addListener((o, a, b) -> scroll.setVvalue(1.0));

        input.setId("chat-input");
        input.setPromptText("Message (Enter to send, Shift+Enter for a new line)");
        input.setPrefRowCount(2);
        input.setWrapText(true);
        input.textProperty().bindBidirectional(model.draftProperty());
        input.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && !e.isShiftDown()) {
                e.consume();
                model.send();
            }
        });
        var send = new Button("Send");
        send.setId("chat-send");
        send.getStyleClass().add("accent");
        send.setOnAction(e -> model.send());
        send.disableProperty().bind(model.canSend().not());
        var stop = new Button("Stop");
        stop.setId("chat-stop");
        stop.setOnAction(e -> model.stop());
        stop.disableProperty().bind(model.replyingProperty().not());
        var buttons = new VBox(4, send, stop);
        send.setMaxWidth(Double.MAX_VALUE);
        send.setMinWidth(Region.USE_PREF_SIZE);
        stop.setMinWidth(Region.USE_PREF_SIZE);
        stop.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(input, Priority.ALWAYS);
        var compose = new HBox(6, input, buttons);

        var error = new Label();
        error.getStyleClass().add("field-error");
        error.setWrapText(true);
        error.textProperty().bind(model.errorProperty());
        error.visibleProperty().bind(error.textProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        getChildren().addAll(header, scroll, error, compose, profilePane());
    }

    public void focusInput() {
        input.requestFocus();
    }

    private void rebuild(Label empty) {
        if (model.messages().isEmpty()) {
            conversation.getChildren().setAll(empty);
            return;
        }
        conversation.getChildren().setAll(model.messages().stream().map(this::bubble).toList());
    }

    private Node bubble(ChatItem item) {
        var user = item.role() == ChatRole.USER;
        Node body;
        if (user) {
            var text = new Label();
            text.setWrapText(true);
            text.textProperty().bind(item.textProperty());
            body = text;
        } else {
            var md = new MarkdownView(item.textProperty().get());
            // a streaming reply changes many times a frame: render at most once per pulse
            var dirty = new boolean[1];
            item.textProperty().addListener((o, a, b) -> {
                if (dirty[0]) return;
                dirty[0] = true;
                Platform.runLater(() -> {
                    dirty[0] = false;
                    md.setMarkdown(item.textProperty().get());
                });
            });
            body = md;
        }
        var note = new Label();
        note.getStyleClass().add("muted");
        note.textProperty().bind(Bindings.when(item.streamingProperty()).then("writing…").otherwise(item.noteProperty()));
        note.visibleProperty().bind(note.textProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        var box = new VBox(2, body, note);
        box.getStyleClass().addAll("bubble", user ? "bubble-user" : "bubble-assistant");
        box.setMaxWidth(Region.USE_PREF_SIZE);
        var row = new HBox(box);
        row.setAlignment(user ? Pos.CENTER_RIGHT : Pos.CENTER_LEFT);
        box.maxWidthProperty().bind(scroll.widthProperty().multiply(0.85));
        return row;
    }

    private Node profilePane() {
        var grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(4);
        grid.setId("profile-grid");
        var empty = new Label("Nothing extracted yet.");
        empty.getStyleClass().add("muted");
        Runnable build = () -> {
            grid.getChildren().clear();
            if (model.profile().isEmpty()) {
                grid.add(empty, 0, 0);
                return;
            }
            int r = 0;
            for (var row : model.profile()) {
                var label = new Label(row.label());
                label.setMinWidth(Region.USE_PREF_SIZE);
                var value = new TextField();
                value.setId("profile-" + row.field().wire());
                value.setPromptText("not known");
                value.textProperty().bindBidirectional(row.valueProperty());
                // Enter or leaving the field saves the edit on the worker; Escape takes the worker's value back
                value.setOnAction(e -> model.commit(row));
                value.focusedProperty().addListener((o, was, is) -> {
                    if (was && !is) model.commit(row);
                });
                value.setOnKeyPressed(e -> {
                    if (e.getCode() == javafx.scene.input.KeyCode.ESCAPE && row.dirtyProperty().get()) {
                        row.revert();
                        e.consume();
                    }
                });
                GridPane.setHgrow(value, Priority.ALWAYS);
                var source = new Label();
                source.getStyleClass().add("source");
                source.setId("profile-source-" + row.field().wire());
                source.textProperty().bind(Bindings.createStringBinding(() -> {
                    if (row.dirtyProperty().get()) return "edited — Enter saves, Esc undoes";
                    if (row.byHandProperty().get()) return "set by you";
                    return row.sourceProperty().get().isEmpty() ? "" : "from “" + abbreviate(row.sourceProperty().get()) + "”";
                }, row.sourceProperty(), row.byHandProperty(), row.dirtyProperty()));
                grid.add(label, 0, r);
                grid.add(value, 1, r++);
                grid.add(source, 1, r++);
            }
        };
        model.profile().addListener((ListChangeListener<ProfileRow>) c -> build.run());
        build.run();
        var pane = new TitledPane("Profile", grid);
        pane.setId("profile-pane");
        pane.setExpanded(true);
        return pane;
    }

    private static String abbreviate(String s) {
        var one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 48 ? one : one.substring(0, 47) + "…";
    }
}
