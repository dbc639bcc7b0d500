package dev.labdesk.desktop.chat;

import dev.labdesk.desktop.fx.MarkdownView;
import dev.labdesk.model.ChatRole;
import javafx.application.Platform;
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
import javafx.util.Subscription;

import java.util.ArrayList;
import java.util.List;

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
        mode.textProperty().bind(model.modeCaptionProperty());
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
        var empty = new Label();
        empty.textProperty().bind(model.emptyCaptionProperty());
        empty.setWrapText(true);
        empty.getStyleClass().add("muted");
        conversation.getChildren().setAll(model.messages().isEmpty() ? List.of(empty) : model.messages().stream().map(this::bubble).toList());
        model.messages().addListener((ListChangeListener<ChatItem>) c -> follow(c, empty));
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

    /** Mirrors the message list change by change: one bubble per added message, disposed when it leaves. */
    private void follow(ListChangeListener.Change<? extends ChatItem> c, Label empty) {
        if (conversation.getChildren().size() == 1 && conversation.getChildren().getFirst() == empty) {
            conversation.getChildren().clear();
        }
        while (c.next()) {
            if (c.wasPermutated()) {
                var range = conversation.getChildren().subList(c.getFrom(), c.getTo());
                var before = List.copyOf(range);
                var after = new Node[before.size()];
                for (int i = c.getFrom(); i < c.getTo(); i++) after[c.getPermutation(i) - c.getFrom()] = before.get(i - c.getFrom());
                range.clear(); // a node may not be in its parent twice, even for a moment
                conversation.getChildren().addAll(c.getFrom(), List.of(after));
                continue;
            }
            if (c.wasRemoved()) {
                var gone = conversation.getChildren().subList(c.getFrom(), c.getFrom() + c.getRemovedSize());
                gone.forEach(n -> ((Bubble) n).dispose());
                gone.clear();
            }
            if (c.wasAdded()) {
                conversation.getChildren().addAll(c.getFrom(), c.getAddedSubList().stream().map(this::bubble).toList());
            }
        }
        if (conversation.getChildren().isEmpty()) conversation.getChildren().setAll(empty);
    }

    private Bubble bubble(ChatItem item) {
        var bubble = new Bubble(item);
        bubble.box.maxWidthProperty().bind(scroll.widthProperty().multiply(0.85));
        return bubble;
    }

    /** The bubbles on screen (tests count them). */
    List<Bubble> bubbles() {
        return conversation.getChildren().stream().filter(Bubble.class::isInstance).map(Bubble.class::cast).toList();
    }

    /** One message's row; it holds the only listeners on its item and drops them in {@link #dispose()}. */
    static final class Bubble extends HBox {
        private final ChatItem item;
        private final VBox box;
        private final List<Subscription> subscriptions = new ArrayList<>();

        Bubble(ChatItem item) {
            this.item = item;
            var user = item.role() == ChatRole.USER;
            Node body;
            if (user) {
                var text = new Label(item.textProperty().get());
                text.setWrapText(true);
                subscriptions.add(item.textProperty().subscribe(text::setText));
                body = text;
            } else {
                var md = new MarkdownView(item.textProperty().get());
                // a streaming reply changes many times a frame: render at most once per pulse
                var dirty = new boolean[1];
                subscriptions.add(item.textProperty().subscribe(() -> {
                    if (dirty[0]) return;
                    dirty[0] = true;
                    Platform.runLater(() -> {
                        dirty[0] = false;
                        md.setMarkdown(item.textProperty().get());
                    });
                }));
                body = md;
            }
            var note = new Label();
            note.getStyleClass().add("muted");
            subscriptions.add(item.captionProperty().subscribe(note::setText));
            note.visibleProperty().bind(note.textProperty().isNotEmpty());
            note.managedProperty().bind(note.visibleProperty());
            box = new VBox(2, body, note);
            box.getStyleClass().addAll("bubble", user ? "bubble-user" : "bubble-assistant");
            box.setMaxWidth(Region.USE_PREF_SIZE);
            getChildren().add(box);
            setAlignment(user ? Pos.CENTER_RIGHT : Pos.CENTER_LEFT);
        }

        ChatItem item() { return item; }

        /** Listeners this bubble still holds on its item. */
        int listening() { return subscriptions.size(); }

        void dispose() {
            subscriptions.forEach(Subscription::unsubscribe);
            subscriptions.clear();
            box.maxWidthProperty().unbind();
        }
    }

    private Node profilePane() {
        var grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(4);
        grid.setId("profile-grid");
        var empty = new Label("Nothing extracted yet.");
        empty.getStyleClass().add("muted");
        grid.add(empty, 0, 0);
        model.profile().forEach(row -> addProfileRow(grid, empty, row));
        // rows are added one per field the worker fills, and all go when the user changes
        model.profile().addListener((ListChangeListener<ProfileRow>) c -> {
            while (c.next()) {
                if (c.wasRemoved()) {
                    grid.getChildren().setAll(empty);
                    model.profile().forEach(row -> addProfileRow(grid, empty, row));
                    return;
                }
                if (c.wasAdded()) c.getAddedSubList().forEach(row -> addProfileRow(grid, empty, row));
            }
        });
        var pane = new TitledPane("Profile", grid);
        pane.setId("profile-pane");
        pane.setExpanded(true);
        return pane;
    }

    private void addProfileRow(GridPane grid, Label empty, ProfileRow row) {
        grid.getChildren().remove(empty);
        int r = grid.getChildren().size() / 3 * 2; // each field: three nodes over two grid rows
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
            if (e.getCode() == KeyCode.ESCAPE && row.dirtyProperty().get()) {
                row.revert();
                e.consume();
            }
        });
        GridPane.setHgrow(value, Priority.ALWAYS);
        var source = new Label();
        source.getStyleClass().add("source");
        source.setId("profile-source-" + row.field().wire());
        source.textProperty().bind(row.captionProperty());
        grid.add(label, 0, r);
        grid.add(value, 1, r);
        grid.add(source, 1, r + 1);
    }
}
