package dev.labdesk.desktop.chat;

import dev.labdesk.desktop.fx.Listeners;
import dev.labdesk.model.ChatRole;
import dev.labdesk.model.ProfileField;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat panel in a shown window follows its messages change by change, and lets go of the ones that leave. */
class ChatViewTest {
    ChatViewModel model;
    ChatView view;
    Stage stage;

    @BeforeAll
    static void toolkit() {
        try {
            Platform.startup(() -> {});
        } catch (IllegalStateException alreadyRunning) {
            // another test class started it
        }
        Platform.setImplicitExit(false);
    }

    @BeforeEach
    void show() throws Exception {
        fx(() -> {
            model = new ChatViewModel(Platform::runLater);
            model.messages().addAll(IntStream.range(0, 500).mapToObj(ChatViewTest::message).toList());
            view = new ChatView(model);
            stage = new Stage();
            stage.setScene(new Scene(view, 420, 700));
            stage.show();
            return null;
        });
    }

    @AfterEach
    void close() throws Exception {
        fx(() -> {
            stage.close();
            model.close();
            return null;
        });
    }

    private static ChatItem message(int i) {
        var role = i % 2 == 0 ? ChatRole.USER : ChatRole.ASSISTANT;
        return new ChatItem("m" + i, role == ChatRole.USER ? "m" + i : null, role, "message **" + i + "** with a little Markdown");
    }

    @Test
    void addingAMessageToA500MessageConversationAddsOneBubbleAndKeepsTheOthers() throws Exception {
        var before = fx(() -> List.copyOf(view.bubbles()));
        int nodesBefore = fx(() -> settled(() -> nodes(conversation())));
        int listenersBefore = fx(this::listenersOnMessages);
        assertThat(before).hasSize(500);
        assertThat(listenersBefore).as("each bubble follows its text and caption, nothing more").isEqualTo(500 * 2);

        fx(() -> model.messages().add(message(500)));

        var after = fx(() -> List.copyOf(view.bubbles()));
        assertThat(after).hasSize(501);
        for (int i = 0; i < 500; i++) assertThat(after.get(i)).as("bubble %d", i).isSameAs(before.get(i));
        assertThat(after.get(500).item().id()).isEqualTo("m500");
        // both counts in one pass after CSS and layout: a skin made by the next pulse would add nodes to only one
        var nodesAfter = fx(() -> settled(() -> new int[] {nodes(conversation()), nodes(after.get(500))}));
        assertThat(nodesAfter[0]).as("nodes: one bubble's more").isEqualTo(nodesBefore + nodesAfter[1]);
        assertThat(fx(this::listenersOnMessages)).as("listeners JavaFX holds on the messages").isEqualTo(501 * 2);
        assertThat(fx(() -> listening(view.bubbles()))).isEqualTo(501 * 2);
    }

    @Test
    void theProfilePaneEmptiesWhenItsRowsGo() throws Exception {
        var grid = fx(() -> (GridPane) view.lookup("#profile-grid"));
        fx(() -> {
            model.profile().add(new ProfileRow(ProfileField.NAME));
            return null;
        });
        assertThat(fx(() -> view.lookup("#profile-name"))).isNotNull();
        fx(() -> {
            model.profile().clear();
            return null;
        });
        assertThat(fx(() -> view.lookup("#profile-name"))).as("the old user's field is gone").isNull();
        assertThat(fx(() -> grid.getChildren().size())).isEqualTo(1);
        assertThat(fx(() -> texts(grid))).containsOnly("Nothing extracted yet.");
    }

    @Test
    void replacingTheConversationLetsGoOfEveryOldMessage() throws Exception {
        var old = fx(() -> List.copyOf(model.messages()));
        fx(() -> {
            model.messages().setAll(List.of(message(1000), message(1001)));
            return null;
        });
        int left = fx(() -> old.stream().mapToInt(m -> Listeners.on(m.textProperty()) + Listeners.on(m.captionProperty())).sum());
        assertThat(left).as("listeners still held on the 500 messages that left").isZero();
        assertThat(fx(this::listenersOnMessages)).isEqualTo(2 * 2);
    }

    @Test
    void aStreamingReplyUpdatesItsOwnBubbleWithoutNewListeners() throws Exception {
        var reply = new ChatItem("r", null, ChatRole.ASSISTANT, "");
        fx(() -> model.messages().add(reply));
        int listening = fx(() -> listening(view.bubbles()));
        for (int i = 0; i < 50; i++) {
            int n = i;
            fx(() -> {
                reply.streamingProperty().set(true);
                reply.textProperty().set(reply.textProperty().get() + "word" + n + " ");
                return null;
            });
        }
        fx(() -> null); // the pulse that renders the last delta
        assertThat(fx(() -> listening(view.bubbles()))).isEqualTo(listening);
        var last = fx(() -> view.bubbles().getLast());
        assertThat(fx(() -> texts(last))).anySatisfy(t -> assertThat(t).contains("word49")).contains("writing…");
    }

    @Test
    void bubblesThatLeaveTheConversationStopFollowingTheirMessages() throws Exception {
        var kept = fx(() -> List.copyOf(model.messages().subList(0, 10)));
        var gone = fx(() -> view.bubbles().get(20));
        fx(() -> model.messages().setAll(kept));

        assertThat(fx(() -> view.bubbles())).hasSize(10);
        assertThat(gone.listening()).isZero();
        var item = gone.item();
        fx(() -> {
            item.textProperty().set("changed after it left");
            return null;
        });
        assertThat(fx(() -> texts(gone))).noneSatisfy(t -> assertThat(t).contains("changed after it left"));

        fx(() -> {
            model.messages().clear();
            return null;
        });
        assertThat(fx(() -> view.bubbles())).isEmpty();
        assertThat(fx(() -> texts(view))).anySatisfy(t -> assertThat(t).startsWith("Say hello"));
    }

    private Node conversation() {
        return view.lookup("#chat-messages");
    }

    private int listenersOnMessages() {
        return model.messages().stream().mapToInt(m -> Listeners.on(m.textProperty()) + Listeners.on(m.captionProperty())).sum();
    }

    private <T> T settled(Callable<T> count) throws Exception {
        view.applyCss();
        view.layout();
        return count.call();
    }

    private static int nodes(Node n) {
        int count = 1;
        if (n instanceof Parent p) for (var c : p.getChildrenUnmodifiable()) count += nodes(c);
        return count;
    }

    private static int listening(List<ChatView.Bubble> bubbles) {
        return bubbles.stream().mapToInt(ChatView.Bubble::listening).sum();
    }

    private static List<String> texts(Node root) {
        var out = new ArrayList<String>();
        collect(root, out);
        return out;
    }

    private static void collect(Node n, List<String> out) {
        if (n instanceof Label l && l.getText() != null) out.add(l.getText());
        if (n instanceof Text t && t.getText() != null) out.add(t.getText());
        if (n instanceof Parent p) p.getChildrenUnmodifiable().forEach(c -> collect(c, out));
    }

    private static <T> T fx(Callable<T> work) throws Exception {
        var result = new CompletableFuture<T>();
        Platform.runLater(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }
}
