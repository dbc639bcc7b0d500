package dev.labdesk.worker.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;

/**
 * One model call as a span ({@code llm call}, kind CLIENT, GenAI attributes). The code that calls the
 * model opens it with one line, {@code try (var span = LlmSpan.start("chat", model))}, and needs no
 * tracer of its own: the worker's tracer travels in the OpenTelemetry {@link Context} that the chat
 * turn around it made current ({@link TracedChat}). Without one, the span is a no-op.
 */
public final class LlmSpan implements AutoCloseable {
    static final ContextKey<Tracer> TRACER = ContextKey.named("labdesk-tracer");
    private static final Tracer NOOP = OpenTelemetry.noop().getTracer(Telemetry.SCOPE);

    private final Span span;
    private final Scope scope;

    private LlmSpan(Span span) {
        this.span = span;
        this.scope = span.makeCurrent();
    }

    public static LlmSpan start(String operation, String model) {
        var tracer = Context.current().get(TRACER);
        var span = (tracer == null ? NOOP : tracer).spanBuilder("llm call").setSpanKind(SpanKind.CLIENT)
                .setAttribute("gen_ai.system", "openai")
                .setAttribute("gen_ai.operation.name", operation)
                .setAttribute("gen_ai.request.model", model)
                .startSpan();
        return new LlmSpan(span);
    }

    @Override
    public void close() {
        scope.close();
        span.end();
    }
}
