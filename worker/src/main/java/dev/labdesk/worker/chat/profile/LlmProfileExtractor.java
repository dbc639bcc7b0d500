package dev.labdesk.worker.chat.profile;

import dev.labdesk.worker.telemetry.LlmSpan;

import dev.labdesk.worker.chat.agents.ChatAgentException;
import dev.labdesk.worker.chat.agents.LlmFailures;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.openai.client.OpenAIClient;
import com.openai.errors.OpenAIException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.ProfileField;
import dev.labdesk.model.SourcedProfile;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Extraction with a model through openai-java's structured outputs: the response format is derived
 * from the {@link Extracted} class, so the model can only answer in a shape our records hold, and
 * openai-java parses the reply back into it.
 */
public final class LlmProfileExtractor implements ProfileExtractor {
    static final String PROMPT = """
            Extract a researcher's profile from the conversation below. Each message is given as
            [message_id] role: text. For every field, give the value stated or clearly implied by the user,
            and the message_id of the user message it comes from; use empty strings for both when the
            conversation does not say. experience_level is beginner, intermediate or advanced;
            data_types is a comma-separated list. Never invent values.""";

    private final OpenAIClient client;
    private final String model;

    public LlmProfileExtractor(OpenAIClient client, String model) {
        this.client = client;
        this.model = model;
    }

    /** One field as the model reports it. Public fields: openai-java derives the JSON schema from them. */
    public static final class Sourced {
        @JsonPropertyDescription("the value, or an empty string when unknown")
        @JsonProperty("value")
        public String value;

        @JsonPropertyDescription("the message_id of the user message it comes from, or an empty string")
        @JsonProperty("source_message_id")
        public String sourceMessageId;
    }

    /** The structured-output schema: every profile field, each with its source. */
    @JsonClassDescription("A researcher's profile extracted from an onboarding conversation")
    public static final class Extracted {
        @JsonProperty("name") public Sourced name;
        @JsonProperty("role") public Sourced role;
        @JsonProperty("organisation") public Sourced organisation;
        @JsonProperty("research_area") public Sourced researchArea;
        @JsonProperty("goals") public Sourced goals;
        @JsonProperty("experience_level") public Sourced experienceLevel;
        @JsonProperty("data_types") public Sourced dataTypes;
        @JsonProperty("preferred_communication_style") public Sourced preferredCommunicationStyle;
        @JsonProperty("notes") public Sourced notes;

        Map<ProfileField, Function<Extracted, Sourced>> byField() {
            return Map.of(ProfileField.NAME, e -> e.name, ProfileField.ROLE, e -> e.role,
                    ProfileField.ORGANISATION, e -> e.organisation, ProfileField.RESEARCH_AREA, e -> e.researchArea,
                    ProfileField.GOALS, e -> e.goals, ProfileField.EXPERIENCE_LEVEL, e -> e.experienceLevel,
                    ProfileField.DATA_TYPES, e -> e.dataTypes,
                    ProfileField.PREFERRED_COMMUNICATION_STYLE, e -> e.preferredCommunicationStyle,
                    ProfileField.NOTES, e -> e.notes);
        }
    }

    @Override
    public ChatMode mode() {
        return ChatMode.LLM;
    }

    @Override
    public SourcedProfile extract(List<ChatMessage> messages) throws ChatAgentException {
        var transcript = new StringBuilder();
        var userIds = new HashSet<String>();
        for (var m : messages) {
            transcript.append('[').append(m.id()).append("] ").append(m.role().wire()).append(": ").append(m.text()).append('\n');
            if (m.fromUser()) userIds.add(m.id());
        }
        var params = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(PROMPT)
                .addUserMessage(transcript.toString())
                .responseFormat(Extracted.class)
                .build();
        Extracted extracted;
        try (var span = LlmSpan.start("extract_profile", model)) {
            var completion = client.chat().completions().create(params);
            var choice = completion.choices().stream().findFirst()
                    .orElseThrow(() -> new ChatAgentException("llm_bad_response", "the model returned no choices", true));
            var refusal = choice.message().refusal();
            if (refusal.isPresent()) throw new ChatAgentException("llm_refused", "the model declined: " + refusal.get(), false);
            extracted = choice.message().content()
                    .orElseThrow(() -> new ChatAgentException("llm_bad_response", "the model returned no profile", true));
        } catch (OpenAIException e) {
            throw LlmFailures.map(e, model);
        }
        var profile = SourcedProfile.EMPTY;
        for (var entry : extracted.byField().entrySet()) {
            var field = entry.getValue().apply(extracted);
            if (field == null || field.value == null || field.value.isBlank()) continue;
            var source = field.sourceMessageId != null && userIds.contains(field.sourceMessageId.strip()) ? field.sourceMessageId.strip() : null;
            profile = profile.with(entry.getKey(), field.value.strip(), source);
        }
        return inFieldOrder(profile);
    }

    /** Sources listed in the profile's field order, whatever order the map above iterated in. */
    private static SourcedProfile inFieldOrder(SourcedProfile p) {
        var ordered = SourcedProfile.EMPTY;
        for (var f : ProfileField.values()) {
            var v = f.get(p.profile());
            if (v.isPresent()) ordered = ordered.with(f, v.get(), p.source(f));
        }
        return ordered;
    }
}
