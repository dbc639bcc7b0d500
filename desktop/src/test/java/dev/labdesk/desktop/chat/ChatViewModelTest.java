package dev.labdesk.desktop.chat;

import dev.labdesk.desktop.client.ChatConnection;
import dev.labdesk.desktop.client.FakeWorker;
import dev.labdesk.desktop.tasks.ManualTaskExecutor;
import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.ChatRole;
import dev.labdesk.model.MessageStatus;
import dev.labdesk.model.Profile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat view model against a socket answered from memory, every UI task run by hand: frames arrive
 * as on OkHttp's thread and show on the UI side. The real chat: {@link ChatViewModelIntegrationTest}.
 */
class ChatViewModelTest {
    final ManualTaskExecutor tasks = new ManualTaskExecutor();
    final FakeWorker worker = new FakeWorker("http://127.0.0.1:9");
    ChatViewModel model;
    FakeWorker.Chat socket;

    @BeforeEach
    void connect() {
        model = new ChatViewModel(tasks.ui());
        tasks.watch("connection", model.connectionProperty());
        tasks.watch("emptyCaption", model.emptyCaptionProperty());
        tasks.watch("replying", model.replyingProperty());
        tasks.asUi(() -> model.connect(worker, "ada"));
        socket = worker.chats().getLast();
    }

    @Test
    void framesFromTheSocketThreadShowOnTheUiSideInOneBatch() {
        assertThat(socket.userId).isEqualTo("ada");
        assertThat(socket.isStarted()).isTrue();
        socket.state(ChatConnection.State.CONNECTED, "");
        socket.frame(new ChatFrame.History(List.of(
                ChatMessage.user("u1", "c0", "Hi, I'm Ada", Instant.EPOCH),
                ChatMessage.assistant("a1", "c0", "Hello Ada! What do you study?", MessageStatus.COMPLETE, Instant.EPOCH)), ChatMode.OFFLINE, null));
        assertThat(model.messages()).as("nothing before the UI thread's turn").isEmpty();
        assertThat(tasks.pendingUi()).isEqualTo(1);

        tasks.runUi();
        assertThat(model.connectionProperty().get()).isEqualTo("connected");
        assertThat(model.modeCaptionProperty().get()).isEqualTo("offline interview");
        assertThat(model.messages()).extracting(ChatItem::role).containsExactly(ChatRole.USER, ChatRole.ASSISTANT);
        assertThat(tasks.offUiWrites()).isEmpty();
    }

    @Test
    void anotherUsersProfileDoesNotStayOnScreenWhenTheUserChanges() {
        socket.state(ChatConnection.State.CONNECTED, "");
        socket.frame(new ChatFrame.History(List.of(), ChatMode.OFFLINE, null));
        socket.frame(new ChatFrame.ProfileUpdate(new Profile("Ada", "PhD student", null, null, null, null, null, null, null), Map.of()));
        tasks.runUi();
        assertThat(model.profile()).extracting(r -> r.valueProperty().get()).containsExactly("Ada", "PhD student");

        tasks.asUi(() -> model.connect(worker, "bob"));
        assertThat(model.profile()).as("before bob's history arrives").isEmpty();
        var bob = worker.chats().getLast();
        bob.state(ChatConnection.State.CONNECTED, "");
        bob.frame(new ChatFrame.History(List.of(), ChatMode.OFFLINE, null));
        tasks.runUi();
        assertThat(model.profile()).as("bob has no profile yet").isEmpty();
        assertThat(tasks.offUiWrites()).isEmpty();
    }

    @Test
    void aStreamedReplyGrowsInOneMessageAndEndsWithItsFinalText() {
        socket.state(ChatConnection.State.CONNECTED, "");
        socket.frame(new ChatFrame.History(List.of(), ChatMode.LLM, null));
        tasks.runUi();
        model.draftProperty().set("I work on growth curves");
        assertThat(tasks.asUi(model::send)).isTrue();
        assertThat(socket.sent()).containsExactly("I work on growth curves");
        assertThat(model.draftProperty().get()).isEmpty();
        assertThat(model.replyingProperty().get()).isTrue();

        socket.frame(new ChatFrame.Delta("a1", "c1", "Growth "));
        socket.frame(new ChatFrame.Delta("a1", null, "of what?"));
        tasks.runUi();
        assertThat(model.messages()).hasSize(2);
        var reply = model.messages().getLast();
        assertThat(reply.textProperty().get()).isEqualTo("Growth of what?");
        assertThat(reply.captionProperty().get()).isEqualTo("writing…");

        socket.frame(new ChatFrame.Message(ChatMessage.assistant("a1", "c1", "Growth of which organism?", MessageStatus.STOPPED, Instant.EPOCH)));
        tasks.runUi();
        assertThat(model.messages()).hasSize(2);
        assertThat(reply.textProperty().get()).isEqualTo("Growth of which organism?");
        assertThat(reply.captionProperty().get()).isEqualTo("stopped");
        assertThat(model.replyingProperty().get()).isFalse();
    }

    @Test
    void aMessageSentWhileDisconnectedSaysItWillBeSentLater() {
        model.draftProperty().set("hello?");
        tasks.asUi(model::send);
        var item = model.messages().getLast();
        assertThat(item.captionProperty().get()).isEqualTo("will be sent when the connection is back");

        socket.state(ChatConnection.State.CONNECTED, "");
        tasks.runUi();
        assertThat(item.captionProperty().get()).isEmpty();
    }

    @Test
    void aRefusedKeyReplacesTheInvitationWithWhatToDo() {
        assertThat(model.emptyCaptionProperty().get()).startsWith("Say hello");
        socket.state(ChatConnection.State.REFUSED, "401");
        tasks.runUi();
        assertThat(model.connectionProperty().get()).isEqualTo("key refused");
        assertThat(model.emptyCaptionProperty().get()).isEqualTo(ChatViewModel.REFUSED);

        socket.state(ChatConnection.State.CONNECTED, "");
        tasks.runUi();
        assertThat(model.emptyCaptionProperty().get()).startsWith("Say hello");
        assertThat(tasks.offUiWrites()).isEmpty();
    }

    @Test
    void anInvalidUserIdOpensNoSocketAndSaysWhereToFixIt() {
        tasks.asUi(() -> model.connect(worker, "not a valid id!"));
        assertThat(socket.isClosed()).as("the previous socket").isTrue();
        assertThat(worker.chats()).hasSize(1);
        assertThat(model.connectionProperty().get()).startsWith("user id ").endsWith("fix it in Settings");
        model.draftProperty().set("hello");
        assertThat(tasks.asUi(model::send)).isFalse();
    }
}
