package dev.labdesk.worker.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.RegisteredRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Redis stops while a worker is serving, then comes back. */
class RedisFaultTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @TempDir Path redisDir;
    @TempDir Path dataDir;
    private RedisServer redis;
    private Worker worker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start(redisDir);
        worker = new Worker(WorkerConfig.local(dataDir).withRedis(redis.url())).start();
    }

    @AfterEach
    void stop() throws Exception {
        worker.close();
        redis.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
        return http.send(r.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postLog(RegisteredRun run, String message) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/log"))
                .header("Authorization", "Bearer " + run.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"level\":\"INFO\",\"message\":\"" + message + "\"}")));
    }

    @Test
    void anOutageIsReportedFailsRequestsFastLosesNothingAcknowledgedAndHealsByItself() throws Exception {
        var run = RegisteredRun.in(worker);
        for (int i = 0; i < 20; i++) assertThat(postLog(run, "before " + i).statusCode()).isEqualTo(202);

        redis.stop();

        var health = await().atMost(Duration.ofSeconds(10)).until(
                () -> send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/health"))), r -> r.statusCode() == 503);
        var body = JSON.readTree(health.body());
        assertThat(body.get("status").asText()).isEqualTo("unhealthy");
        assertThat(body.at("/dependencies/redis/status").asText()).isEqualTo("down");
        assertThat(body.at("/dependencies/redis/detail").asText()).contains("Redis at 127.0.0.1:" + redis.port(), "unavailable");

        long start = System.nanoTime();
        var refused = postLog(run, "during");
        var took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(refused.headers().firstValue("Retry-After")).contains("2");
        assertThat(JSON.readTree(refused.body()).get("detail").asText()).contains("Redis at 127.0.0.1:" + redis.port());
        assertThat(took).isLessThan(Duration.ofSeconds(5)); // the command timeout is 2 s; a rejected command fails at once
        for (var path : new String[] {"/sessions/" + run.sessionId(), "/sessions/" + run.sessionId() + "/events", "/sessions"}) {
            var r = send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + path)));
            assertThat(r.statusCode()).as(path).isEqualTo(503);
        }

        redis.start();

        await().atMost(Duration.ofSeconds(20)).until(
                () -> send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/health"))).statusCode() == 200);
        for (int i = 0; i < 5; i++) assertThat(postLog(run, "after " + i).statusCode()).isEqualTo(202);

        var events = run.events();
        assertThat(events).extracting(SessionEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 26).boxed().toList());
        var messages = run.events(SessionEvent.Log.class).stream().map(SessionEvent.Log::message).toList();
        assertThat(messages).containsExactlyElementsOf(IntStream.range(0, 25)
                .mapToObj(i -> i < 20 ? "before " + i : "after " + (i - 20)).toList());
    }

    @Test
    void aWorkerStartedBeforeRedisIsUpReportsItAndServesOnceItIs() throws Exception {
        worker.close();
        redis.stop();
        worker = new Worker(WorkerConfig.local(dataDir).withRedis(redis.url())).start();
        var health = send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/health")));
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(health.body()).at("/dependencies/redis/status").asText()).isEqualTo("down");
        redis.start();
        await().atMost(Duration.ofSeconds(20)).until(
                () -> send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/health"))).statusCode() == 200);
        var run = RegisteredRun.in(worker);
        assertThat(postLog(run, "hello").statusCode()).isEqualTo(202);
    }
}
