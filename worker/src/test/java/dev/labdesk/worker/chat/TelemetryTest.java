package dev.labdesk.worker.chat;

import com.sun.net.httpserver.HttpServer;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.RawMultipart;
import dev.labdesk.worker.testing.SseReader;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traces of a real worker arriving at a real local OTLP/HTTP receiver, decoded with the OTLP
 * protobuf classes: the spans, the path, the content type and Logfire's Authorization header.
 */
class TelemetryTest {
    static final String TOKEN = "pylf_v1_us_0123456789abcdefTESTTOKEN";
    @TempDir Path dataDir;
    private HttpServer receiver;
    private final List<Export> exports = new CopyOnWriteArrayList<>();
    private final MockWebServer model = new MockWebServer();
    private Worker worker;
    private final OkHttpClient ws = ChatTestClient.http();
    private final HttpClient http = HttpClient.newHttpClient();

    record Export(String method, String path, String contentType, String authorization, ExportTraceServiceRequest request) {}

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            var body = exchange.getRequestBody().readAllBytes();
            var h = exchange.getRequestHeaders();
            exports.add(new Export(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), h.getFirst("Content-Type"),
                    h.getFirst("Authorization"), ExportTraceServiceRequest.parseFrom(body)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        model.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (worker != null) worker.close();
        receiver.stop(0);
        model.close();
        ws.dispatcher().executorService().shutdownNow();
    }

    private WorkerConfig traced(WorkerConfig config) {
        var endpoint = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces");
        return config.with(b -> b.logfireToken(TOKEN).otlp(endpoint, Map.of()));
    }

    private List<Span> spans() {
        return exports.stream().flatMap(e -> e.request().getResourceSpansList().stream())
                .flatMap(r -> r.getScopeSpansList().stream()).flatMap(s -> s.getSpansList().stream()).toList();
    }

    private static String attribute(Span span, String key) {
        return span.getAttributesList().stream().filter(a -> a.getKey().equals(key)).findFirst()
                .map(a -> a.getValue().hasStringValue() ? a.getValue().getStringValue() : String.valueOf(a.getValue().getIntValue()))
                .orElse(null);
    }

    @Test
    void uploadAgentRunAndChatTurnArriveAsSpansWithTheLogfireToken() throws Exception {
        worker = new Worker(traced(WorkerConfig.local(dataDir))).start();
        var body = new RawMultipart().field("name", "Traced").field("description", "spans for upload and agent")
                .file("a.csv", "x,y\n1,2\n3,4\n").build();
        var accepted = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/upload"))
                .header("Content-Type", RawMultipart.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        var sessionId = ChatTestClient.JSON.readTree(accepted.body()).get("session_id").asText();
        var stream = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/sessions/" + sessionId + "/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (var sse = new SseReader(stream.body())) {
            SseReader.Frame f;
            while ((f = sse.next()) != null && !f.event().equals("end")) { /* to the end of the run */ }
        }
        try (var c = new ChatTestClient(ws, worker.baseUrl(), "tracy")) {
            c.opened.get(15, TimeUnit.SECONDS);
            c.next("history");
            c.message("c1", "Hello!");
            c.answer("c1");
        }
        var health = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ChatTestClient.JSON.readTree(health.body()).at("/dependencies/telemetry/status").asText()).isEqualTo("ok");
        assertThat(health.body()).doesNotContain(TOKEN);
        worker.close(); // flushes the batch
        worker = null;

        assertThat(exports).isNotEmpty().allSatisfy(e -> {
            assertThat(e.method()).isEqualTo("POST");
            assertThat(e.path()).isEqualTo("/v1/traces");
            assertThat(e.contentType()).isEqualTo("application/x-protobuf");
            assertThat(e.authorization()).isEqualTo(TOKEN);
        });
        var spans = spans();
        assertThat(spans).extracting(Span::getName).contains("upload", "agent run", "chat turn");
        var upload = spans.stream().filter(s -> s.getName().equals("upload")).findFirst().orElseThrow();
        assertThat(attribute(upload, "labdesk.session_id")).isEqualTo(sessionId);
        assertThat(attribute(upload, "http.response.status_code")).isEqualTo("202");
        var run = spans.stream().filter(s -> s.getName().equals("agent run")).findFirst().orElseThrow();
        assertThat(attribute(run, "labdesk.session_id")).isEqualTo(sessionId);
        assertThat(attribute(run, "labdesk.agent.exit")).isEqualTo("succeeded");
        assertThat(run.getEndTimeUnixNano()).isGreaterThan(run.getStartTimeUnixNano());
        var resource = exports.getFirst().request().getResourceSpans(0).getResource().getAttributesList();
        assertThat(resource).anyMatch(a -> a.getKey().equals("service.name") && a.getValue().getStringValue().equals("labdesk-worker"));
    }

    @Test
    void eachModelCallIsAnLlmSpanInsideItsChatTurn() throws Exception {
        var config = WorkerConfig.local(dataDir).withOpenAi("sk-test", URI.create(model.url("/v1").toString()), "gpt-4o-mini");
        worker = new Worker(traced(config)).start();
        model.enqueue(OpenAiReplay.sse(OpenAiReplay.textBody(List.of("Hello", " there!"), true)));
        try (var c = new ChatTestClient(ws, worker.baseUrl(), "ada")) {
            c.opened.get(15, TimeUnit.SECONDS);
            c.next("history");
            c.message("c1", "Hi");
            assertThat(c.answer("c1").text()).isEqualTo("Hello there!");
        }
        worker.close();
        worker = null;
        var spans = spans();
        var turn = spans.stream().filter(s -> s.getName().equals("chat turn")).findFirst().orElseThrow();
        var llm = spans.stream().filter(s -> s.getName().equals("llm call")).findFirst().orElseThrow();
        assertThat(llm.getParentSpanId()).isEqualTo(turn.getSpanId());
        assertThat(llm.getTraceId()).isEqualTo(turn.getTraceId());
        assertThat(llm.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(attribute(llm, "gen_ai.request.model")).isEqualTo("gpt-4o-mini");
        assertThat(attribute(turn, "labdesk.chat.mode")).isEqualTo("llm");
    }

    @Test
    void theLogfireEndpointFollowsTheRegionInTheToken() {
        assertThat(dev.labdesk.worker.telemetry.Telemetry.logfireBase("pylf_v1_eu_abc")).hasToString("https://logfire-eu.pydantic.dev");
        assertThat(dev.labdesk.worker.telemetry.Telemetry.logfireBase("pylf_v1_us_abc")).hasToString("https://logfire-us.pydantic.dev");
        assertThat(dev.labdesk.worker.telemetry.Telemetry.logfireBase("an-older-token")).hasToString("https://logfire-api.pydantic.dev");
    }
}
