package dev.labdesk.worker.chat.agents;

import java.util.ArrayList;
import dev.labdesk.worker.telemetry.LlmSpan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.ProfileField;
import dev.labdesk.model.SourcedProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The onboarding agent with a model: streams the reply through openai-java's chat completions and
 * lets the model record profile fields with an {@code update_profile} tool as they become clear.
 * A field's source is the user message of this turn, the one that made it clear.
 */
public final class LlmChatAgent implements ChatAgent {
    private static final Logger log = LoggerFactory.getLogger(LlmChatAgent.class);
    static final String TOOL = "update_profile";
    /** Model rounds per reply: text, then at most a few tool-call follow-ups. */
    private static final int MAX_ROUNDS = 4;
    /** The most recent messages sent as context; older ones live on in the profile. */
    private static final int CONTEXT_MESSAGES = 40;

    static final String SYSTEM_PROMPT = """
            You are the onboarding assistant of Labdesk, where researchers upload datasets and an agent analyses them.
            Interview the user, one short question at a time, to learn: their name, role, organisation, research area,
            what they want to achieve with their data (goals), their experience level with data analysis,
            the kinds of data they work with, and how they prefer you to communicate. Be warm and brief.
            Whenever the user's answers make one or more of these fields clear, call the update_profile tool with
            just those fields (experience_level as beginner, intermediate or advanced; data_types comma-separated),
            then continue the conversation. Never invent values. When everything is known, summarise the profile
            and ask whether anything should change.""";

    private final OpenAIClient client;
    private final String model;
    private final ObjectMapper mapper;
    private final ChatCompletionFunctionTool tool = updateProfileTool();

    public LlmChatAgent(OpenAIClient client, String model, ObjectMapper mapper) {
        this.client = client;
        this.model = model;
        this.mapper = mapper;
    }

    @Override
    public ChatMode mode() {
        return ChatMode.LLM;
    }

    @Override
    public boolean answersAtOnce() {
        return false;
    }

    @Override
    public void reply(Turn turn, Reply reply) throws ChatAgentException {
        var params = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(SYSTEM_PROMPT)
                .addSystemMessage("The profile so far (JSON): " + profileJson(turn.profile()))
                .addTool(tool);
        var history = turn.history();
        for (var m : history.subList(Math.max(0, history.size() - CONTEXT_MESSAGES), history.size())) {
            if (m.text() == null || m.text().isEmpty()) continue;
            if (m.fromUser()) params.addUserMessage(m.text());
            else params.addAssistantMessage(m.text());
        }
        var profile = turn.profile();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            var result = stream(params.build(), reply);
            if (result == null) return; // stopped by the user
            for (var call : result.calls().values()) {
                profile = apply(profile, call, turn.message());
            }
            if (!result.calls().isEmpty()) reply.profile(profile);
            if (!"tool_calls".equals(result.finishReason()) || result.calls().isEmpty()) return;
            // The model wants its tool results before it goes on writing.
            var assistant = ChatCompletionAssistantMessageParam.builder();
            if (!result.text().isEmpty()) assistant.content(result.text());
            for (var call : result.calls().values()) {
                assistant.addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(call.id())
                        .function(ChatCompletionMessageFunctionToolCall.Function.builder().name(call.name()).arguments(call.arguments()).build())
                        .build());
            }
            params.addMessage(assistant.build());
            for (var call : result.calls().values()) {
                params.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
                        .content("saved; the profile is now " + profileJson(profile)).build());
            }
        }
    }

    /** One streamed model round: its text, its tool calls (assembled from their fragments), why it ended. */
    private record Round(String text, Map<Long, ToolCall> calls, String finishReason) {}

    private static final class ToolCall {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();

        String id() { return id == null ? "call_" + name : id; }
        String name() { return name; }
        String arguments() { return arguments.toString(); }
    }

    /** Streams one round into {@code reply}; null when the user stopped it. */
    private Round stream(ChatCompletionCreateParams params, Reply reply) throws ChatAgentException {
        var text = new StringBuilder();
        var calls = new TreeMap<Long, ToolCall>();
        String finish = null;
        try (var span = LlmSpan.start("chat", model);
             var response = client.chat().completions().createStreaming(params)) {
            // Stop is noticed between chunks, on this thread: OkHttp's response may only be closed by
            // its reader. The chat service does not wait for that; it ends the reply at once.
            var chunks = response.stream().iterator();
            while (chunks.hasNext()) {
                ChatCompletionChunk chunk = chunks.next();
                if (reply.stopped()) return null;
                for (var choice : chunk.choices()) {
                    var delta = choice.delta();
                    delta.content().filter(s -> !s.isEmpty()).ifPresent(s -> {
                        text.append(s);
                        reply.delta(s);
                    });
                    delta.toolCalls().ifPresent(list -> list.forEach(tc -> {
                        var call = calls.computeIfAbsent(tc.index(), k -> new ToolCall());
                        tc.id().ifPresent(id -> call.id = id);
                        tc.function().ifPresent(f -> {
                            f.name().ifPresent(n -> call.name = n);
                            f.arguments().ifPresent(call.arguments::append);
                        });
                    }));
                    if (choice.finishReason().isPresent()) finish = choice.finishReason().get().asString();
                }
            }
        } catch (OpenAIException e) {
            if (reply.stopped()) return null;
            throw LlmFailures.map(e, model);
        } catch (RuntimeException e) {
            if (reply.stopped()) return null;
            throw e;
        }
        if (reply.stopped()) return null;
        if (finish == null) throw LlmFailures.cut();
        return new Round(text.toString(), calls, finish);
    }

    /** Applies one update_profile call; a call with malformed arguments is skipped, not fatal. */
    private SourcedProfile apply(SourcedProfile profile, ToolCall call, ChatMessage source) {
        if (!TOOL.equals(call.name())) return profile;
        JsonNode args;
        try {
            args = mapper.readTree(call.arguments());
        } catch (Exception e) {
            log.info("model sent malformed update_profile arguments; ignored");
            return profile;
        }
        if (args == null || !args.isObject()) return profile;
        for (var entry : args.properties()) {
            var field = ProfileField.find(entry.getKey());
            var v = entry.getValue();
            if (field.isEmpty() || v == null || v.isNull()) continue;
            var value = v.isArray() ? String.join(", ", textValues(v)) : v.asText().strip();
            if (!value.isEmpty()) profile = profile.with(field.get(), value, source.id());
        }
        return profile;
    }

    private static List<String> textValues(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private String profileJson(SourcedProfile p) {
        try {
            return mapper.writeValueAsString(p.profile());
        } catch (Exception e) {
            return "{}";
        }
    }

    /** The tool's JSON schema: one optional string per profile field. */
    private static ChatCompletionFunctionTool updateProfileTool() {
        var properties = new LinkedHashMap<String, Object>();
        Arrays.stream(ProfileField.values()).forEach(f -> properties.put(f.wire(), Map.of("type", "string",
                "description", switch (f) {
                    case EXPERIENCE_LEVEL -> "beginner, intermediate or advanced";
                    case DATA_TYPES -> "kinds of data, comma-separated";
                    case NOTES -> "anything else worth remembering";
                    default -> "the user's " + f.wire().replace('_', ' ');
                })));
        var parameters = FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(properties))
                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                .build();
        return ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder().name(TOOL)
                        .description("Record profile fields the user's answers made clear; send only those fields.")
                        .parameters(parameters).build())
                .build();
    }
}
