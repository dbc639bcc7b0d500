package dev.labdesk.worker.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.SourcedProfile;
import dev.labdesk.worker.chat.ConversationStore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Conversations in Redis, so a user reconnecting to any worker sees the same history:
 * {@code labdesk:chat:{user}:messages} (a list of message JSON, oldest first), {@code …:client} and
 * {@code …:replies} (hashes from a client message id to the user message and to its reply, for
 * idempotent resends) and {@code …:profile}. Bounded like the in-memory store: at most
 * {@code maxMessages} per user (the oldest go, and their idempotency entries with them, in the same
 * script), and every key of a user expires {@code ttl} after that user's last write.
 */
public final class RedisConversationStore implements ConversationStore {
    // KEYS messages, client, replies, profile; ARGV json, max, ttl ms, client id or '', reply-to or ''
    private static final String APPEND = """
            redis.call('RPUSH', KEYS[1], ARGV[1])
            if ARGV[4] ~= '' then redis.call('HSET', KEYS[2], ARGV[4], ARGV[1]) end
            if ARGV[5] ~= '' then redis.call('HSET', KEYS[3], ARGV[5], ARGV[1]) end
            while redis.call('LLEN', KEYS[1]) > tonumber(ARGV[2]) do
              local dropped = redis.call('LPOP', KEYS[1])
              local m = cjson.decode(dropped)
              for _, pair in ipairs({{KEYS[2], m['client_message_id']}, {KEYS[3], m['reply_to']}}) do
                if type(pair[2]) == 'string' and redis.call('HGET', pair[1], pair[2]) == dropped then
                  redis.call('HDEL', pair[1], pair[2])
                end
              end
            end
            for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
            return 1
            """;

    private final RedisBackend redis;
    private final ObjectMapper mapper;
    private final int maxMessages;
    private final Duration ttl;

    public RedisConversationStore(RedisBackend redis, ObjectMapper mapper, int maxMessages, Duration ttl) {
        if (maxMessages < 2) throw new IllegalArgumentException("maxMessages must be at least 2");
        this.redis = redis;
        this.mapper = mapper;
        this.maxMessages = maxMessages;
        this.ttl = ttl;
    }

    private String key(String userId, String part) {
        return redis.key("chat", userId, part);
    }

    @Override
    public List<ChatMessage> history(String userId) {
        return redis.call(c -> c.lrange(key(userId, "messages"), 0, -1)).stream().map(this::message).toList();
    }

    @Override
    public void append(String userId, ChatMessage message) {
        var clientId = message.fromUser() && message.clientMessageId() != null ? message.clientMessageId() : "";
        var replyTo = !message.fromUser() && message.replyTo() != null ? message.replyTo() : "";
        redis.call(c -> c.eval(APPEND, ScriptOutputType.INTEGER,
                new String[] {key(userId, "messages"), key(userId, "client"), key(userId, "replies"), key(userId, "profile")},
                json(message), Integer.toString(maxMessages), Long.toString(ttl.toMillis()), clientId, replyTo));
    }

    @Override
    public Optional<ChatMessage> userMessage(String userId, String clientMessageId) {
        return Optional.ofNullable(redis.call(c -> c.hget(key(userId, "client"), clientMessageId))).map(this::message);
    }

    @Override
    public Optional<ChatMessage> replyTo(String userId, String clientMessageId) {
        return Optional.ofNullable(redis.call(c -> c.hget(key(userId, "replies"), clientMessageId))).map(this::message);
    }

    @Override
    public SourcedProfile profile(String userId) {
        var json = redis.call(c -> c.get(key(userId, "profile")));
        if (json == null) return SourcedProfile.EMPTY;
        try {
            return mapper.readValue(json, SourcedProfile.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored profile did not parse", e);
        }
    }

    @Override
    public void saveProfile(String userId, SourcedProfile profile) {
        redis.call(c -> c.set(key(userId, "profile"), json(profile), SetArgs.Builder.px(ttl.toMillis())));
    }

    @Override
    public boolean contains(String userId) {
        return redis.call(c -> c.exists(key(userId, "messages"), key(userId, "profile"))) > 0;
    }

    @Override
    public String kind() {
        return "redis";
    }

    private ChatMessage message(String json) {
        try {
            return mapper.readValue(json, ChatMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored chat message did not parse", e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
