package dev.labdesk.worker.chat;

import io.opentelemetry.api.OpenTelemetry;
import dev.labdesk.worker.telemetry.TracedChat;
import io.opentelemetry.api.trace.Tracer;

import dev.labdesk.worker.chat.agents.ChatAgent;
import dev.labdesk.worker.chat.agents.LlmChatAgent;
import dev.labdesk.worker.chat.agents.OfflineInterviewAgent;
import dev.labdesk.worker.chat.profile.LlmProfileExtractor;
import dev.labdesk.worker.chat.profile.OfflineProfileExtractor;
import dev.labdesk.worker.chat.profile.ProfileExtraction;
import dev.labdesk.worker.chat.profile.ProfileExtractor;
import dev.labdesk.worker.chat.store.ConversationStore;
import dev.labdesk.worker.chat.store.InMemoryConversationStore;
import dev.labdesk.worker.chat.transport.ChatFrames;
import dev.labdesk.worker.chat.transport.ChatRelay;
import dev.labdesk.worker.chat.transport.ChatRoutes;
import dev.labdesk.worker.chat.replies.ChatService;
import dev.labdesk.worker.chat.transport.InMemoryChatRelay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ChatMode;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.llm.LlmClients;
import io.javalin.config.RoutesConfig;

import java.time.Clock;
import java.time.Duration;

/**
 * The chat as the worker wires it: the conversation store, the agent and the extractor the
 * configuration asks for (a model when {@code OPENAI_API_KEY} is set, else the offline interview),
 * the service and its routes.
 */
public final class ChatModule implements AutoCloseable {
    /** Model calls of {@code /extract-profile} in flight at once, across all requests. */
    static final int EXTRACT_PARALLELISM = 4;
    /** Silence allowed between two streamed chunks of the model. */
    static final Duration MODEL_READ_TIMEOUT = Duration.ofSeconds(60);

    private final ChatService service;
    private final ChatRoutes routes;
    private final Runnable closeClient;

    private ChatModule(ChatService service, ChatRoutes routes, Runnable closeClient) {
        this.service = service;
        this.routes = routes;
        this.closeClient = closeClient;
    }

    public static ChatModule create(WorkerConfig config, ObjectMapper mapper, Clock clock) {
        var store = new InMemoryConversationStore(config.limits(), config.scale().retention());
        return create(config, mapper, clock, store, new InMemoryChatRelay(store, new ChatFrames(mapper)),
                OpenTelemetry.noop().getTracer("none"));
    }

    /**
     * With the conversation store and relay the worker chose (Redis when several workers share users)
     * and its tracer.
     */
    public static ChatModule create(WorkerConfig config, ObjectMapper mapper, Clock clock, ConversationStore store,
                                    ChatRelay relay, Tracer tracer) {
        ChatAgent agent;
        ProfileExtractor extractor;
        Runnable closeClient = () -> { };
        if (config.llmEnabled()) {
            var client = LlmClients.create(config.openaiApiKey().orElseThrow(), config.openaiBaseUrl(), MODEL_READ_TIMEOUT);
            closeClient = client::close; // its OkHttp connection pool and dispatcher threads
            agent = new LlmChatAgent(client, config.openaiModel(), mapper);
            extractor = new LlmProfileExtractor(client, config.openaiModel());
        } else {
            agent = new OfflineInterviewAgent();
            extractor = new OfflineProfileExtractor();
        }
        agent = TracedChat.agent(agent, tracer); // spans: chat turn, llm call
        extractor = TracedChat.extractor(extractor, tracer);
        var service = new ChatService(store, relay, agent, mapper, clock, ChatService.PING_INTERVAL);
        var extraction = new ProfileExtraction(store, extractor, EXTRACT_PARALLELISM);
        return new ChatModule(service, new ChatRoutes(service, extraction, mapper), closeClient);
    }

    /** llm or offline: for {@code /health} and the UI. */
    public ChatMode mode() {
        return service.mode();
    }

    public ChatService service() {
        return service;
    }

    public void register(RoutesConfig routes) {
        this.routes.register(routes);
    }

    @Override
    public void close() {
        service.close();
        closeClient.run();
    }
}
