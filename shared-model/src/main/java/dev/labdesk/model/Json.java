package dev.labdesk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationContext;
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
            protected Instant _deserialize(String value, DeserializationContext ctxt) {
                return Instant.parse(value);
            }
        });
        // Jackson's default buffer pool is per thread, and every request or frame runs on a new virtual thread:
        // a pool shared by all threads reuses the buffers instead (docs/BENCHMARKS.md, "chat").
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
