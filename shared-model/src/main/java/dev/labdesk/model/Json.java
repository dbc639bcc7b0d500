package dev.labdesk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;

import java.time.Instant;

/**
 * The one JSON configuration of the wire contract: snake_case everywhere, ISO-8601 instants,
 * nulls left out, unknown fields tolerated (so an older client keeps working against a newer worker).
 * Each caller builds its mapper once and keeps it; a mapper is thread-safe once configured.
 */
public final class Json {
    private Json() {}

    public static ObjectMapper newMapper() {
        var instants = new SimpleModule("labdesk-instants");
        instants.addSerializer(Instant.class, ToStringSerializer.instance);
        instants.addDeserializer(Instant.class, new FromStringDeserializer<>(Instant.class) {
            @Override
            protected Instant _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctxt) {
                return Instant.parse(value);
            }
        });
        // The default pool keeps Jackson's read/write buffers per thread, and the worker answers on a
        // new virtual thread per request or frame: every parse and every write then allocated fresh
        // 8 KiB buffers (half of the chat's allocation under load). A pool shared by all threads reuses them.
        var factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
        return JsonMapper.builder(factory)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.USE_DEFAULTS))
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addModule(instants)
                .build();
    }
}
