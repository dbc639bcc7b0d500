package dev.labdesk.desktop.chat;

import dev.labdesk.desktop.SerialUi;
import dev.labdesk.desktop.TcpProxy;
import dev.labdesk.desktop.client.WorkerAddress;
import dev.labdesk.desktop.client.WorkerClient;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.ChatRole;
import dev.labdesk.model.ProfileField;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The chat view model without UI, against a real worker's chat in offline mode (its unit tests: {@link ChatViewModelTest}). */
class ChatViewModelIntegrationTest {
    @TempDir Path tmp;
    Worker worker;
    TcpProxy proxy;
    WorkerClient client;
    SerialUi ui = new SerialUi();
    ChatViewModel model;

    @BeforeEach
    void start() throws Exception {
        worker = new Worker(WorkerConfig.local(tmp)).start();
        proxy = new TcpProxy(worker.port());
        client = new WorkerClient(WorkerAddress.of(proxy.url()));
        model = ui.call(() -> new ChatViewModel(ui));
        ui.run(() -> model.connect(client, "ada"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ui.call(() -> model.connectedProperty().get() && model.modeProperty().get() != null));
    }

    @AfterEach
    void stop() throws Exception {
        ui.run(model::close);
        ui.close();
        client.close();
        proxy.close();
        worker.close();
    }

    private long assistantReplies() throws Exception {
        return ui.call(() -> model.messages().stream().filter(m -> m.role() == ChatRole.ASSISTANT && !m.streamingProperty().get()).count());
    }

    @Test
    void aHistoryOf100LongMessagesInSeveralFramesShowsAllOfThemInOrder() throws Exception {
        var now = java.time.Instant.now();
        var store = worker.chat().service().store();
        for (int i = 0; i < 100; i++) {
            var text = i + " " + "é".repeat(30_000); // about 6 MB in all: several history frames of at most 1 MiB
            store.append("bea", i % 2 == 0 ? dev.labdesk.model.ChatMessage.user("m" + i, "c" + i, text, now.plusMillis(i))
                    : dev.labdesk.model.ChatMessage.assistant("m" + i, "c" + (i - 1), text, dev.labdesk.model.MessageStatus.COMPLETE, now.plusMillis(i)));
        }
        ui.run(() -> model.connect(client, "bea"));
        await().atMost(Duration.ofSeconds(20)).until(() -> ui.call(() -> model.messages().size() == 100));
        var shown = ui.call(() -> model.messages().stream().map(m -> m.textProperty().get().substring(0, m.textProperty().get().indexOf(' '))).toList());
        assertThat(shown).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).mapToObj(Integer::toString).toList());
        assertThat(ui.call(() -> model.messages().getLast().textProperty().get())).hasSize(30_000 + 3);
    }

    @Test
    void aSentMessageGetsAReplyAndTheProfileFillsWithItsSource() throws Exception {
        assertThat(ui.call(() -> model.modeProperty().get())).isEqualTo(ChatMode.OFFLINE);
        ui.run(() -> { model.draftProperty().set("hello"); model.send(); });
        assertThat(ui.call(() -> model.draftProperty().get())).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> assistantReplies() == 1);
        ui.run(() -> { model.draftProperty().set("Ada Lovelace"); model.send(); });
        await().atMost(Duration.ofSeconds(10)).until(() -> assistantReplies() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> ui.call(() -> !model.profile().isEmpty()));

        var row = ui.call(() -> model.profile().getFirst());
        assertThat(ui.call(() -> row.valueProperty().get())).isNotBlank();
        assertThat(ui.call(() -> row.sourceProperty().get())).isEqualTo("Ada Lovelace");
        ui.run(() -> row.valueProperty().set("Ada King"));
        assertThat(ui.call(() -> row.dirtyProperty().get())).isTrue();
        assertThat(ui.call(() -> model.replyingProperty().get())).isFalse();
    }

    @Test
    void anEditedFieldIsSavedOnTheWorkerAndComesBackSetByHand() throws Exception {
        ui.run(() -> { model.draftProperty().set("hello"); model.send(); });
        await().atMost(Duration.ofSeconds(10)).until(() -> assistantReplies() == 1);
        ui.run(() -> { model.draftProperty().set("I'm Ada Lovelace, I work on protein folding"); model.send(); });
        await().atMost(Duration.ofSeconds(10)).until(() -> ui.call(() -> model.profile().size() == 2));
        var name = ui.call(() -> model.profile().stream().filter(r -> r.field() == ProfileField.NAME).findFirst().orElseThrow());
        var area = ui.call(() -> model.profile().stream().filter(r -> r.field() == ProfileField.RESEARCH_AREA).findFirst().orElseThrow());
        assertThat(ui.call(() -> area.valueProperty().get())).isEqualTo("protein folding");

        ui.run(() -> name.valueProperty().set("  Ada King "));
        assertThat(ui.call(() -> model.commit(name))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> ui.call(() -> name.byHandProperty().get() && !name.dirtyProperty().get()));
        assertThat(ui.call(() -> name.valueProperty().get())).isEqualTo("Ada King");
        assertThat(ui.call(() -> name.sourceProperty().get())).isEmpty();
        assertThat(ui.call(() -> model.commit(name))).as("nothing changed: nothing to send").isFalse();

        // an edit made while the socket is down is sent after the reconnect
        proxy.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ui.call(() -> model.connectedProperty().get()));
        ui.run(() -> area.valueProperty().set("protein misfolding"));
        assertThat(ui.call(() -> model.commit(area))).isTrue();
        proxy.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> ui.call(() -> area.byHandProperty().get() && !area.dirtyProperty().get()));

        // the worker kept both: a second window of the same user sees them in its history
        var other = ui.call(() -> new ChatViewModel(ui));
        try {
            ui.run(() -> other.connect(client, "ada"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ui.call(() -> other.profile().size() == 2));
            var values = ui.call(() -> other.profile().stream().map(r -> r.field() + "=" + r.valueProperty().get() + (r.byHandProperty().get() ? " by hand" : "")).toList());
            assertThat(values).containsExactly("NAME=Ada King by hand", "RESEARCH_AREA=protein misfolding by hand");
        } finally {
            ui.run(other::close);
        }
    }

    @Test
    void aMessageSentWhileTheSocketIsDownIsDeliveredOnceAfterTheReconnect() throws Exception {
        proxy.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ui.call(() -> model.connectedProperty().get()));
        ui.run(() -> { model.draftProperty().set("hello"); model.send(); });
        assertThat(ui.call(() -> model.messages().getLast().noteProperty().get())).contains("when the connection is back");
        proxy.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> assistantReplies() == 1);
        var users = ui.call(() -> model.messages().stream().filter(m -> m.role() == ChatRole.USER).count());
        assertThat(users).isEqualTo(1);
        assertThat(ui.call(() -> model.connectionProperty().get())).isEqualTo("connected");
    }
}
