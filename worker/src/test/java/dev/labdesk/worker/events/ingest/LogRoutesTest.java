package dev.labdesk.worker.events.ingest;

import dev.labdesk.worker.session.RunTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.RegisteredRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /log} over real HTTP: both wire forms, the token rules, the limits. */
class LogRoutesTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir Path dataDir;
    private Worker worker;
    private RegisteredRun run;

    @BeforeEach
    void start() throws IOException {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
        run = RegisteredRun.in(worker);
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    @Test
    void oneJsonRecordBecomesALogEventOfTheTokensSession() throws Exception {
        var r = postJson(run.token(), """
                {"level":"warn","logger":"plates","message":"plate 3 is émpty","time":"2026-01-31T12:00:00.250Z"}""");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(1);
        var logs = run.events(SessionEvent.Log.class);
        assertThat(logs).singleElement().satisfies(e -> {
            assertThat(e.sessionId()).isEqualTo(run.sessionId());
            assertThat(e.level()).isEqualTo("WARN");
            assertThat(e.logger()).isEqualTo("plates");
            assertThat(e.message()).isEqualTo("plate 3 is émpty");
            assertThat(e.time()).isEqualTo(Instant.parse("2026-01-31T12:00:00.250Z"));
            assertThat(e.seq()).isEqualTo(2); // after the registration's status event
        });
    }

    @Test
    void aBatchOfEveryAgentKindIsAppendedInOrder() throws Exception {
        var r = postJson(run.token(), """
                [{"message":"first","type":null},
                 {"type":"progress","step":"exp/a.csv","done":1,"total":2},
                 {"type":"log","level":"INFO","logger":"agent","message":"second","time":1767268800.5},
                 {"type":"result","summary":{"files":2,"bytes":10,"tables":1,"rows":4,"table_names":["exp/a.csv"],
                   "unreadable":["exp/b.csv"],"headline":"1 table","mode":"offline"}},
                 {"type":"error","code":"llm_unavailable","message":"no model","retryable":true}]""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(5);
        var events = run.events().subList(1, 6);
        assertThat(events).extracting(SessionEvent::type).containsExactly("log", "progress", "log", "result", "agent_error");
        assertThat(events).extracting(SessionEvent::seq).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(((SessionEvent.Log) events.get(0)).level()).isEqualTo("INFO");
        assertThat(((SessionEvent.Log) events.get(0)).logger()).isEqualTo("agent");
        assertThat(((SessionEvent.Log) events.get(2)).time()).isEqualTo(Instant.parse("2026-01-01T12:00:00.500Z"));
        assertThat(((SessionEvent.Progress) events.get(1)).done()).isEqualTo(1);
        var summary = ((SessionEvent.Result) events.get(3)).summary();
        assertThat(summary.tableNames()).containsExactly("exp/a.csv");
        assertThat(summary.unreadable()).containsExactly("exp/b.csv");
        assertThat(((SessionEvent.Error) events.get(4)).retryable()).isTrue();
    }

    @Test
    void httpHandlerFormPostWithBasicCredentials() throws Exception {
        var form = pythonRecord("plate %s read: %d wells, OD %.2f", "('A', 96, 0.1234)");
        var basic = "Basic " + Base64.getEncoder().encodeToString(("agent:" + run.token()).getBytes(StandardCharsets.UTF_8));
        var r = send(HttpRequest.newBuilder(url("/log")).header("Authorization", basic)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        var log = run.events(SessionEvent.Log.class).getFirst();
        assertThat(log.message()).isEqualTo("plate A read: 96 wells, OD 0.12");
        assertThat(log.logger()).isEqualTo("lab.reader");
        assertThat(log.level()).isEqualTo("WARNING");
        assertThat(log.time()).isEqualTo(Instant.parse("2026-01-01T12:00:00.250Z"));
    }

    @Test
    void httpHandlerFormPostWithTokenInTheQueryAndHttpHandlersDefaultGet() throws Exception {
        var token = URLEncoder.encode(run.token(), StandardCharsets.UTF_8);
        var post = send(HttpRequest.newBuilder(url("/log?token=" + token)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(pythonRecord("posted", "()"))));
        assertThat(post.statusCode()).as(post.body()).isEqualTo(202);
        var get = send(HttpRequest.newBuilder(url("/log?token=" + token + "&" + pythonRecord("got %(n)s", "{'n': 7}"))).GET());
        assertThat(get.statusCode()).as(get.body()).isEqualTo(202);
        assertThat(run.events(SessionEvent.Log.class)).extracting(SessionEvent.Log::message).containsExactly("posted", "got 7");
    }

    @Test
    void theAnswerIsJsonWithItsLengthDeclaredAndTheConnectionStaysUsable() throws Exception {
        // the 202 is written straight to the response (not through ctx.result): it must still be whole
        // JSON with a Content-Length, and a kept-alive connection must carry the next post cleanly
        for (var body : new String[] {"{\"message\":\"one\"}", "[{\"message\":\"two\"},{\"message\":\"three\"}]", "{\"message\":\"four\"}"}) {
            var r = postJson(run.token(), body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().getBytes(StandardCharsets.UTF_8).length);
            assertThat(JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(body.startsWith("[") ? 2 : 1);
        }
        var form = send(HttpRequest.newBuilder(url("/log")).header("Authorization", "Bearer " + run.token())
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(pythonRecord("five", "()"))));
        assertThat(form.statusCode()).isEqualTo(202);
        assertThat(form.body()).isEqualTo("{\"accepted\":1}");
        assertThat(run.events(SessionEvent.Log.class)).extracting(SessionEvent.Log::message).containsExactly("one", "two", "three", "four", "five");
    }

    @Test
    void missingWrongOrRevokedTokenIs401ProblemJson() throws Exception {
        var missing = send(HttpRequest.newBuilder(url("/log")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"x\"}")));
        assertProblem(missing, 401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("Bearer"));
        assertProblem(postJson("not-a-token", "{\"message\":\"x\"}"), 401);
        var wrongBasic = send(HttpRequest.newBuilder(url("/log")).header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString("agent:guess".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(pythonRecord("x", "()"))));
        assertProblem(wrongBasic, 401);
        worker.sessions().store().revokeRunToken(RunTokens.hash(run.token()));
        assertProblem(postJson(run.token(), "{\"message\":\"x\"}"), 401);
        assertThat(run.events(SessionEvent.Log.class)).isEmpty();
    }

    @Test
    void aTokenOnlyEverWritesToItsOwnSession() throws Exception {
        var other = RegisteredRun.in(worker);
        var r = postJson(run.token(), "[{\"session_id\":\"" + other.sessionId() + "\",\"message\":\"aimed at B\",\"seq\":99}]");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(other.events(SessionEvent.Log.class)).isEmpty();
        assertThat(run.events(SessionEvent.Log.class)).singleElement().satisfies(e -> {
            assertThat(e.sessionId()).isEqualTo(run.sessionId());
            assertThat(e.message()).isEqualTo("aimed at B");
            assertThat(e.seq()).isEqualTo(2);
        });
    }

    @Test
    void aTerminalSessionTakesNoMoreRecords() throws Exception {
        worker.sessions().store().transition(run.sessionId(), SessionStatus.SUCCEEDED, null);
        assertProblem(postJson(run.token(), "{\"message\":\"late\"}"), 409);
        assertThat(run.events(SessionEvent.Log.class)).isEmpty();
    }

    @Test
    void badBodiesNameTheFieldAndAppendNothing() throws Exception {
        assertThat(fields(assertProblem(postJson(run.token(), "{\"message\":"), 400))).containsKey("body");
        assertThat(fields(assertProblem(postJson(run.token(), "\"just text\""), 422))).containsKey("body");
        assertThat(fields(assertProblem(postJson(run.token(), "{\"level\":\"INFO\"}"), 422))).containsKey("message");
        var batch = fields(assertProblem(postJson(run.token(), """
                [{"message":"fine"},{"message":5},{"type":"status","status":"succeeded"},
                 {"type":"progress","step":"x","done":-1},{"message":"t","time":"yesterday"},7,{"type":"result"},
                 {"type":3,"message":"m"},{"type":"chat","message":"m"}]"""), 422));
        assertThat(batch).containsOnlyKeys("[1].message", "[2].type", "[3].done", "[4].time", "[5]", "[6].summary", "[7].type", "[8].type");
        assertThat(batch.get("[2].type")).contains("worker");
        var tooLong = fields(assertProblem(postJson(run.token(), "{\"message\":\"" + "x".repeat(LogRecordParser.MAX_MESSAGE + 1) + "\"}"), 422));
        assertThat(tooLong.get("message")).contains("longer than");
        var form = fields(assertProblem(send(HttpRequest.newBuilder(url("/log?token=" + run.token()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=x&levelname=INFO&created=soon"))), 422));
        assertThat(form).containsOnlyKeys("msg", "created");
        assertProblem(send(HttpRequest.newBuilder(url("/log")).header("Authorization", "Bearer " + run.token())
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello"))), 415);
        assertThat(run.events(SessionEvent.Log.class)).isEmpty();
    }

    @Test
    void oversizeBodiesAndBatchesAre413() throws Exception {
        var big = new StringBuilder("[");
        var record = "{\"message\":\"" + "y".repeat(60_000) + "\"}";
        while (big.length() <= LogRoutes.MAX_BODY_BYTES) big.append(record).append(',');
        big.append(record).append(']');
        // A declared Content-Length over the limit is refused before the body is read: the answer comes
        // with only the headers sent (a client still writing the body may see the connection closed first).
        try (var socket = new java.net.Socket(url("/").getHost(), url("/").getPort())) {
            socket.setSoTimeout(10_000);
            var head = "POST /log HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + run.token()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + big.length() + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            var answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 413");
        }
        // without a Content-Length (chunked), the limit holds all the same
        var bytes = big.toString().getBytes(StandardCharsets.UTF_8);
        var chunked = send(HttpRequest.newBuilder(url("/log")).header("Authorization", "Bearer " + run.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))));
        assertProblem(chunked, 413);
        var many = "[" + "{\"message\":\"m\"},".repeat(LogRecordParser.MAX_BATCH) + "{\"message\":\"m\"}]";
        var tooMany = assertProblem(postJson(run.token(), many), 413);
        assertThat(tooMany.get("detail").asText()).contains("10000");
        var atLimit = "[" + "{\"message\":\"m\"},".repeat(LogRecordParser.MAX_BATCH - 1) + "{\"message\":\"m\"}]";
        var ok = postJson(run.token(), atLimit);
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(ok.body()).get("accepted").asInt()).isEqualTo(LogRecordParser.MAX_BATCH);
        assertThat(run.events(SessionEvent.Log.class)).hasSize(LogRecordParser.MAX_BATCH);
    }

    /** The fields HTTPHandler sends: a LogRecord's {@code __dict__}, form-encoded. */
    static String pythonRecord(String msg, String args) {
        var f = new LinkedHashMap<String, String>();
        f.put("name", "lab.reader");
        f.put("msg", msg);
        f.put("args", args);
        f.put("levelname", "WARNING");
        f.put("levelno", "30");
        f.put("pathname", "/opt/agent/run.py");
        f.put("filename", "run.py");
        f.put("module", "run");
        f.put("exc_info", "None");
        f.put("exc_text", "None");
        f.put("stack_info", "None");
        f.put("lineno", "12");
        f.put("funcName", "main");
        f.put("created", "1767268800.25");
        f.put("msecs", "250.0");
        f.put("relativeCreated", "12.5");
        f.put("thread", "1401");
        f.put("threadName", "MainThread");
        f.put("processName", "MainProcess");
        f.put("process", "4242");
        return f.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    @Test
    void aBatchSentAgainWithItsIdempotencyKeyIsAnsweredTheSameAndAppendedOnce() throws Exception {
        var batch = "[{\"message\":\"one\"},{\"message\":\"two\"}]";
        var first = postJson(run.token(), batch, "batch-7f3a");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        var again = postJson(run.token(), batch, "batch-7f3a");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.body()).isEqualTo(first.body()).isEqualTo("{\"accepted\":2}");
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(postJson(run.token(), batch, "batch-8b01").statusCode()).as("another key is another batch").isEqualTo(202);
        assertThat(run.events(SessionEvent.Log.class)).extracting(SessionEvent.Log::message).containsExactly("one", "two", "one", "two");

        var bad = assertProblem(postJson(run.token(), batch, "has space"), 422);
        assertThat(bad.at("/errors/0/field").asText()).isEqualTo("Idempotency-Key");
        assertThat(run.events(SessionEvent.Log.class)).hasSize(4);

        var reused = assertProblem(postJson(run.token(), "[{\"message\":\"three\"}]", "batch-7f3a"), 422);
        assertThat(reused.get("detail").asText()).as("the problem names the key").contains("batch-7f3a");
        assertThat(reused.at("/errors/0/field").asText()).isEqualTo("Idempotency-Key");
        assertThat(run.events(SessionEvent.Log.class)).as("a different body under a used key is not a replay, and not logged").hasSize(4);
    }

    @Test
    void theInMemoryKeysTellAReplayFromAnotherBody() {
        var keys = new InMemoryLogBatchKeys();
        assertThat(keys.claim("s1", "k", "aa")).isEqualTo(LogBatchKeys.Claim.NEW);
        assertThat(keys.claim("s1", "k", "aa")).isEqualTo(LogBatchKeys.Claim.REPLAY);
        assertThat(keys.claim("s1", "k", "bb")).isEqualTo(LogBatchKeys.Claim.OTHER_BODY);
        assertThat(keys.claim("s2", "k", "bb")).as("keys are per session").isEqualTo(LogBatchKeys.Claim.NEW);
    }

    private HttpResponse<String> postJson(String token, String body, String idempotencyKey) throws Exception {
        return send(HttpRequest.newBuilder(url("/log")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> postJson(String token, String body) throws Exception {
        return send(HttpRequest.newBuilder(url("/log")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create(worker.baseUrl() + path);
    }

    private static JsonNode assertProblem(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        var problem = JSON.readTree(r.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        return problem;
    }

    private static Map<String, String> fields(JsonNode problem) {
        var out = new LinkedHashMap<String, String>();
        problem.get("errors").forEach(e -> out.put(e.get("field").asText(), e.get("message").asText()));
        return out;
    }
}
