package dev.labdesk.worker.chat.store;

import dev.labdesk.worker.redis.RedisBackend;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.SourcedProfile;
import dev.labdesk.worker.Limits;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Conversations in Redis, so a user reconnecting to any worker sees the same history:
 * {@code labdesk:chat:{user}:messages} (a list of message JSON, oldest first), {@code …:client} and
 * {@code …:replies} (hashes from a client message id to the user message and to its reply, for
 * idempotent resends) and {@code …:profile}. Bounded like the in-memory store: at most
 * {@code maxMessages} and {@code bytesPerUser} bytes of message JSON per user (the oldest go, and
 * their idempotency entries with them, in the same script), every key of a user expires {@code ttl}
 * after that user's last write, and past {@code bytesTotal} bytes in all a new conversation is
 * refused while existing ones go on. The total is {@code labdesk:chat-bytes}; each user's share is in
 * the hash {@code labdesk:chat-user-bytes} and its expiry in the sorted set {@code labdesk:chat-expiry},
 * so that a conversation Redis expired gives its bytes back (the scripts settle that first).
 */
public final class RedisConversationStore implements ConversationStore {
    // KEYS …, user bytes, expiry, total; ARGV …, now ms: conversations whose time is up leave the total (a bounded batch per call)
    private static final String SETTLE = """
            local gone = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', ARGV[9], 'LIMIT', 0, 100)
            for _, u in ipairs(gone) do
              redis.call('DECRBY', KEYS[7], tonumber(redis.call('HGET', KEYS[5], u) or '0'))
              redis.call('HDEL', KEYS[5], u)
              redis.call('ZREM', KEYS[6], u)
            end
            local known = redis.call('HEXISTS', KEYS[5], ARGV[6]) == 1 or redis.call('EXISTS', KEYS[1]) == 1
            local room = tonumber(redis.call('GET', KEYS[7]) or '0') < tonumber(ARGV[8])
            """;
    // KEYS messages, client, replies, profile, user bytes, expiry, total;
    // ARGV json, max, ttl ms, client id or '', reply-to or '', user id, bytes per user, bytes total, now ms
    private static final String APPEND = SETTLE + """
            if not known and not room then return -1 end
            redis.call('RPUSH', KEYS[1], ARGV[1])
            if ARGV[4] ~= '' then redis.call('HSET', KEYS[2], ARGV[4], ARGV[1]) end
            if ARGV[5] ~= '' then redis.call('HSET', KEYS[3], ARGV[5], ARGV[1]) end
            local delta = string.len(ARGV[1])
            local bytes = tonumber(redis.call('HGET', KEYS[5], ARGV[6]) or '0') + delta
            while redis.call('LLEN', KEYS[1]) > 1
                and (redis.call('LLEN', KEYS[1]) > tonumber(ARGV[2]) or bytes > tonumber(ARGV[7])) do
              local dropped = redis.call('LPOP', KEYS[1])
              bytes = bytes - string.len(dropped)
              delta = delta - string.len(dropped)
              local m = cjson.decode(dropped)
              for _, pair in ipairs({{KEYS[2], m['client_message_id']}, {KEYS[3], m['reply_to']}}) do
                if type(pair[2]) == 'string' and redis.call('HGET', pair[1], pair[2]) == dropped then
                  redis.call('HDEL', pair[1], pair[2])
                end
              end
            end
            redis.call('HSET', KEYS[5], ARGV[6], bytes)
            redis.call('INCRBY', KEYS[7], delta)
            redis.call('ZADD', KEYS[6], tonumber(ARGV[9]) + tonumber(ARGV[3]), ARGV[6])
            for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
            return 1
            """;
    private static final String ADMITS = SETTLE + """
            if known or room then return 1 end
            return 0
            """;

    private final RedisBackend redis;
    private final ObjectMapper mapper;
    private final int maxMessages;
    private final Duration ttl;
    private final long bytesPerUser;
    private final long bytesTotal;
    private final Clock clock;

    public RedisConversationStore(RedisBackend redis, ObjectMapper mapper, int maxMessages, Duration ttl) {
        this(redis, mapper, maxMessages, ttl, Limits.defaults().chatBytesPerPrincipal(), Limits.defaults().chatBytesTotal(), Clock.systemUTC());
    }

    public RedisConversationStore(RedisBackend redis, ObjectMapper mapper, int maxMessages, Duration ttl,
                                  long bytesPerUser, long bytesTotal, Clock clock) {
        if (maxMessages < 2) throw new IllegalArgumentException("maxMessages must be at least 2");
        this.redis = redis;
        this.mapper = mapper;
        this.maxMessages = maxMessages;
        this.ttl = ttl;
        this.bytesPerUser = bytesPerUser;
        this.bytesTotal = bytesTotal;
        this.clock = clock;
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
        long done = redis.call(c -> c.<Long>eval(APPEND, ScriptOutputType.INTEGER, keys(userId),
                json(message), Integer.toString(maxMessages), Long.toString(ttl.toMillis()), clientId, replyTo,
                userId, Long.toString(bytesPerUser), Long.toString(bytesTotal), Long.toString(clock.millis())));
        if (done < 0) throw new FullException("the chat store is full (" + bytesTotal / 1024
                + " KiB of conversations): no new conversation can start now; existing ones go on");
    }

    @Override
    public boolean admits(String userId) {
        // every message of a known user asks this: one EXISTS answers it; only a new user runs the script
        if (redis.call(c -> c.exists(key(userId, "messages"))) > 0) return true;
        long yes = redis.call(c -> c.<Long>eval(ADMITS, ScriptOutputType.INTEGER, keys(userId),
                "", "", "", "", "", userId, "", Long.toString(bytesTotal), Long.toString(clock.millis())));
        return yes == 1;
    }

    private String[] keys(String userId) {
        return new String[] {key(userId, "messages"), key(userId, "client"), key(userId, "replies"), key(userId, "profile"),
                redis.key("chat-user-bytes"), redis.key("chat-expiry"), redis.key("chat-bytes")};
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
