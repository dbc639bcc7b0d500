package dev.labdesk.worker.llm;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The openai-java client of a worker (chat) or an agent (narrative), pointed at OpenAI or any compatible server (Ollama, vLLM, llama.cpp). */
public final class LlmClients {
    private LlmClients() {}

    /**
     * No automatic retries: a chat reply that fails is reported at once with {@code retryable}, and the
     * user decides; {@code read} bounds the silence between two streamed chunks.
     */
    public static OpenAIClient create(String apiKey, Optional<URI> baseUrl, Duration read) {
        var builder = OpenAIOkHttpClient.builder()
                .apiKey(apiKey)
                .maxRetries(0)
                .timeout(Timeout.builder().connect(Duration.ofSeconds(10)).read(read).write(Duration.ofSeconds(30))
                        .request(Duration.ofMinutes(5)).build());
        baseUrl.ifPresent(u -> builder.baseUrl(u.toString()));
        return builder.build();
    }
}
