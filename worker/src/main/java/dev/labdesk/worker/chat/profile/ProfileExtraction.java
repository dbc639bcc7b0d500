package dev.labdesk.worker.chat.profile;

import dev.labdesk.worker.chat.agents.ChatAgentException;
import dev.labdesk.worker.chat.store.ConversationStore;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatRules;
import dev.labdesk.model.ExtractProfileRequest;
import dev.labdesk.model.ExtractProfileResponse;
import dev.labdesk.model.ExtractProfileResponse.ItemError;
import dev.labdesk.model.ExtractProfileResponse.Result;
import dev.labdesk.model.FieldError;
import dev.labdesk.worker.auth.Principal;
import dev.labdesk.worker.http.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /extract-profile}. Limits on the request as a whole (item count, messages per item,
 * text length) are refused up front with 422; anything wrong with one item's content (an unknown or
 * malformed user id, someone else's stored conversation, a message without role or text, a failed
 * model call) becomes that item's error and the rest of the batch goes on. Items run in parallel on
 * virtual threads, at most {@code parallelism} at a time across all requests, so a big batch cannot
 * flood the model server.
 */
public final class ProfileExtraction {
    private static final Logger log = LoggerFactory.getLogger(ProfileExtraction.class);
    private final ConversationStore store;
    private final ProfileExtractor extractor;
    private final Semaphore permits;

    public ProfileExtraction(ConversationStore store, ProfileExtractor extractor, int parallelism) {
        this.store = store;
        this.extractor = extractor;
        this.permits = new Semaphore(parallelism, true);
    }

    /** Answers {@code request} for {@code caller}, who may read only its own stored conversation (an admin: any). */
    public ExtractProfileResponse run(Principal caller, ExtractProfileRequest request) {
        validateLimits(request);
        var items = request.items();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<Result>>(items.size());
            for (int i = 0; i < items.size(); i++) {
                int index = i;
                futures.add(executor.submit(() -> one(caller, index, items.get(index))));
            }
            var results = new ArrayList<Result>(items.size());
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (ExecutionException | InterruptedException e) {
                    if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                    log.error("profile extraction of item {} failed", i, e);
                    results.add(Result.failed(i, items.get(i) == null ? null : items.get(i).userId(),
                            new ItemError("internal", "the worker failed on this item", true)));
                }
            }
            return new ExtractProfileResponse(extractor.mode(), results);
        }
    }

    private static void validateLimits(ExtractProfileRequest request) {
        if (request == null || request.items() == null) throw ProblemException.field("items", "is required: a list of {user_id} or {messages}");
        var items = request.items();
        if (items.isEmpty()) throw ProblemException.field("items", "must hold at least one item");
        if (items.size() > ExtractProfileRequest.ITEMS_MAX)
            throw ProblemException.field("items", "at most " + ExtractProfileRequest.ITEMS_MAX + " items per request, got " + items.size());
        var errors = new ArrayList<FieldError>();
        for (int i = 0; i < items.size(); i++) {
            var item = items.get(i);
            if (item == null || item.messages() == null) continue;
            if (item.messages().size() > ExtractProfileRequest.MESSAGES_MAX)
                errors.add(new FieldError("items[" + i + "].messages", "at most " + ExtractProfileRequest.MESSAGES_MAX + " messages per conversation"));
            for (int j = 0; j < item.messages().size(); j++) {
                var m = item.messages().get(j);
                if (m != null && m.text() != null && m.text().length() > ChatRules.TEXT_MAX)
                    errors.add(new FieldError("items[" + i + "].messages[" + j + "].text", "at most " + ChatRules.TEXT_MAX + " characters"));
            }
        }
        if (!errors.isEmpty()) throw ProblemException.validation(errors);
    }

    private Result one(Principal caller, int index, ExtractProfileRequest.Item item) {
        if (item == null) return Result.failed(index, null, new ItemError("invalid_item", "an item is {user_id} or {messages}, not null", false));
        var userId = item.userId();
        List<ChatMessage> messages;
        if (item.messages() != null) {
            var problem = checkMessages(item.messages());
            if (problem != null) return Result.failed(index, userId, problem);
            messages = withIds(item.messages());
        } else if (userId == null) {
            return Result.failed(index, null, new ItemError("invalid_item", "give user_id (a stored conversation) or messages", false));
        } else if (!ChatRules.validUserId(userId)) {
            return Result.failed(index, userId, new ItemError("invalid_user_id", "user_id " + ChatRules.userIdRule(), false));
        } else if (!caller.mayRead(userId)) { // before the lookup: whether someone else has a conversation is not told
            return Result.failed(index, userId, new ItemError("forbidden", "a stored conversation is read by its own user only; send the messages instead", false));
        } else if (!store.contains(userId)) {
            return Result.failed(index, userId, new ItemError("not_found", "no conversation is stored for user " + userId, false));
        } else {
            messages = store.history(userId);
        }
        if (messages.stream().noneMatch(ChatMessage::fromUser))
            return Result.failed(index, userId, new ItemError("empty_conversation", "the conversation has no user messages", false));
        try {
            permits.acquire();
            try {
                return Result.ok(index, userId, extractor.extract(messages));
            } finally {
                permits.release();
            }
        } catch (ChatAgentException e) {
            return Result.failed(index, userId, new ItemError(e.code(), e.getMessage(), e.retryable()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed(index, userId, new ItemError("cancelled", "the worker is shutting down", true));
        }
    }

    private static ItemError checkMessages(List<ChatMessage> messages) {
        for (int j = 0; j < messages.size(); j++) {
            var m = messages.get(j);
            if (m == null || m.role() == null || m.text() == null || m.text().isBlank())
                return new ItemError("invalid_message", "messages[" + j + "] needs a role (user or assistant) and a non-empty text", false);
        }
        return null;
    }

    /** Posted messages may come without ids; they are then named by their position, "0", "1", … */
    private static List<ChatMessage> withIds(List<ChatMessage> messages) {
        var out = new ArrayList<ChatMessage>(messages.size());
        for (int j = 0; j < messages.size(); j++) {
            var m = messages.get(j);
            out.add(m.id() != null && !m.id().isBlank() ? m
                    : new ChatMessage(String.valueOf(j), m.role(), m.text(), m.status(), m.clientMessageId(), m.replyTo(), m.time()));
        }
        return out;
    }
}
