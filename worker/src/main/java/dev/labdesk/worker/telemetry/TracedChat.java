package dev.labdesk.worker.telemetry;

import java.util.Locale;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.SourcedProfile;
import dev.labdesk.worker.chat.agents.ChatAgent;
import dev.labdesk.worker.chat.agents.ChatAgentException;
import dev.labdesk.worker.chat.profile.ProfileExtractor;
import dev.labdesk.worker.chat.agents.Reply;
import dev.labdesk.worker.chat.agents.Turn;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import java.util.List;

/** Chat turns and profile extractions as spans, around whichever agent and extractor the worker uses. */
public final class TracedChat {
    private TracedChat() {}

    public static ChatAgent agent(ChatAgent agent, Tracer tracer) {
        return new ChatAgent() {
            @Override
            public ChatMode mode() {
                return agent.mode();
            }

            @Override
            public boolean answersAtOnce() {
                return agent.answersAtOnce();
            }

            @Override
            public void reply(Turn turn, Reply reply) throws ChatAgentException {
                var span = tracer.spanBuilder("chat turn").setAttribute("labdesk.chat.mode", agent.mode().name().toLowerCase(Locale.ROOT))
                        .setAttribute("labdesk.chat.history_messages", turn.history().size()).startSpan();
                try (var ignored = Context.current().with(span).with(LlmSpan.TRACER, tracer).makeCurrent()) {
                    agent.reply(turn, reply);
                    span.setAttribute("labdesk.chat.stopped", reply.stopped());
                } catch (ChatAgentException | RuntimeException e) {
                    fail(span, e);
                    throw e;
                } finally {
                    span.end();
                }
            }
        };
    }

    public static ProfileExtractor extractor(ProfileExtractor extractor, Tracer tracer) {
        return new ProfileExtractor() {
            @Override
            public ChatMode mode() {
                return extractor.mode();
            }

            @Override
            public SourcedProfile extract(List<ChatMessage> messages) throws ChatAgentException {
                var span = tracer.spanBuilder("profile extraction").setAttribute("labdesk.chat.messages", messages.size()).startSpan();
                try (var ignored = Context.current().with(span).with(LlmSpan.TRACER, tracer).makeCurrent()) {
                    return extractor.extract(messages);
                } catch (ChatAgentException | RuntimeException e) {
                    fail(span, e);
                    throw e;
                } finally {
                    span.end();
                }
            }
        };
    }

    static void fail(Span span, Exception e) {
        span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
