package dev.labdesk.worker.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.regex.Pattern;

import dev.labdesk.model.Health;
import dev.labdesk.worker.WorkerConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The worker's traces: spans for uploads, agent runs, chat turns and LLM calls, exported over
 * OTLP/HTTP (protobuf) in batches. With {@code LOGFIRE_TOKEN} they go to Logfire, with the token as
 * the {@code Authorization} header; {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code …_TRACES_ENDPOINT})
 * and {@code OTEL_EXPORTER_OTLP_HEADERS} send them to any OTLP receiver instead. With neither, the
 * tracer is OpenTelemetry's no-op and the SDK is not even loaded (it costs start-up time).
 */
public final class Telemetry implements AutoCloseable {
    public static final String SCOPE = "dev.labdesk.worker";

    private final OpenTelemetry otel;
    private final SdkTracerProvider provider;
    private final String destination;
    private final ExportState state;

    private Telemetry(OpenTelemetry otel, SdkTracerProvider provider, String destination, ExportState state) {
        this.otel = otel;
        this.provider = provider;
        this.destination = destination;
        this.state = state;
    }

    public static Telemetry disabled() {
        return new Telemetry(OpenTelemetry.noop(), null, null, null);
    }

    public static Telemetry from(WorkerConfig config) {
        var scale = config.scale();
        var token = config.logfireToken();
        if (token.isEmpty() && scale.otlpEndpoint().isEmpty()) return disabled();
        var endpoint = scale.otlpEndpoint().orElseGet(() -> URI.create(logfireBase(token.get()) + "/v1/traces"));
        var builder = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString()).setTimeout(Duration.ofSeconds(10));
        scale.otlpHeaders().forEach(builder::addHeader);
        token.ifPresent(t -> builder.addHeader("Authorization", t)); // Logfire takes the write token as it is
        var state = new ExportState();
        var exporter = new Watched(builder.build(), state);
        var resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), "labdesk-worker",
                AttributeKey.stringKey("service.version"), version())));
        var provider = SdkTracerProvider.builder()
                .setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofSeconds(2)).build())
                .build();
        var where = endpoint.getScheme() + "://" + endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "")
                + (token.isPresent() && scale.otlpEndpoint().isEmpty() ? " (Logfire)" : "");
        return new Telemetry(OpenTelemetrySdk.builder().setTracerProvider(provider).build(), provider, where, state);
    }

    /**
     * Logfire's region is part of its write tokens ({@code pylf_v1_us_…}, {@code pylf_v1_eu_…}), as its
     * own SDK reads them; tokens without one go to the original endpoint.
     */
    public static URI logfireBase(String token) {
        var m = Pattern.compile("^pylf_v\\d+_([a-z]+)_").matcher(token);
        if (m.find() && (m.group(1).equals("us") || m.group(1).equals("eu")))
            return URI.create("https://logfire-" + m.group(1) + ".pydantic.dev");
        return URI.create("https://logfire-api.pydantic.dev");
    }

    private static String version() {
        var v = Telemetry.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public Tracer tracer() {
        return otel.getTracer(SCOPE);
    }

    /** The {@code telemetry} entry of {@code /health}: where traces go and whether the last export arrived. */
    public Health.Dependency health() {
        if (provider == null) return new Health.Dependency("disabled", "no LOGFIRE_TOKEN or OTEL_EXPORTER_OTLP_ENDPOINT");
        var failure = state.lastFailure;
        if (failure != null && (state.lastSuccess == null || failure.isAfter(state.lastSuccess)))
            return new Health.Dependency("down", "OTLP/HTTP to " + destination + ": the last export failed at " + failure);
        return new Health.Dependency("ok", "OTLP/HTTP to " + destination
                + (state.lastSuccess == null ? ", nothing exported yet" : ", last export " + state.lastSuccess));
    }

    /** Sends what is buffered (worker shutdown). */
    @Override
    public void close() {
        if (provider == null) return;
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    private static final class ExportState {
        volatile Instant lastSuccess;
        volatile Instant lastFailure;
    }

    /** Remembers how each export ended, for {@link #health()}. */
    private record Watched(SpanExporter delegate, ExportState state) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            var result = delegate.export(spans);
            result.whenComplete(() -> {
                if (result.isSuccess()) state.lastSuccess = Instant.now();
                else state.lastFailure = Instant.now();
            });
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }

    /** For tests and logs: where spans go, if anywhere. */
    public Optional<String> destination() {
        return Optional.ofNullable(destination);
    }

}
