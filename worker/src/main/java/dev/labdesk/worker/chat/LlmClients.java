package dev.labdesk.worker.chat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The one openai-java client of a worker, pointed at OpenAI or any compatible server (Ollama, vLLM, llama.cpp). */
final class LlmClients {
    private LlmClients() {}

    /**
     * No automatic retries: a chat reply that fails is reported at once with {@code retryable}, and the
     * user decides; {@code read} bounds the silence between two streamed chunks.
     */
    static OpenAIClient create(String apiKey, Optional<URI> baseUrl, Duration read) {
        var builder = OpenAIOkHttpClient.builder()
                .apiKey(apiKey)
                .maxRetries(0)
                .timeout(Timeout.builder().connect(Duration.ofSeconds(10)).read(read).write(Duration.ofSeconds(30))
                        .request(Duration.ofMinutes(5)).build());
        baseUrl.ifPresent(u -> builder.baseUrl(u.toString()));
        return builder.build();
    }
}
