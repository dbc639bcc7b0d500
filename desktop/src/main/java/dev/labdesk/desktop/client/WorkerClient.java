package dev.labdesk.desktop.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Health;
import dev.labdesk.model.Json;
import dev.labdesk.model.Problem;
import dev.labdesk.model.SessionInfo;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The desktop's one way to talk to a worker: plain calls, resumable uploads, event streams and
 * the chat socket all share one OkHttp connection pool and dispatcher. Every method may block:
 * callers run them off the UI thread. No JavaFX in this package. One interceptor puts the
 * credentials on every request of all four kinds and reports every 401 the worker answers.
 */
public final class WorkerClient implements AutoCloseable {
    static final MediaType JSON = MediaType.get("application/json");

    private final WorkerAddress address;
    private final OkHttpClient http;
    private final ObjectMapper mapper = Json.newMapper();
    // reconnect timers of event streams and chat sockets; daemon so a forgotten stream never keeps the app alive
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        var t = new Thread(r, "labdesk-client-timers");
        t.setDaemon(true);
        return t;
    });

    public WorkerClient(WorkerAddress address) {
        this(address, () -> {});
    }

    /**
     * @param refused called (on an OkHttp or caller thread) each time the worker answers 401: the
     *                key is missing or wrong, whichever call, stream or socket it was
     */
    public WorkerClient(WorkerAddress address, Runnable refused) {
        this.address = address;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60))
                .addInterceptor(chain -> {
                    var b = chain.request().newBuilder();
                    address.apiKey().ifPresent(k -> b.header("Authorization", "Bearer " + k));
                    address.modalKey().ifPresent(k -> b.header("Modal-Key", k));
                    address.modalSecret().ifPresent(s -> b.header("Modal-Secret", s));
                    var response = chain.proceed(b.build());
                    if (response.code() == 401) refused.run();
                    return response;
                })
                .build();
    }

    public WorkerAddress address() {
        return address;
    }

    OkHttpClient http() {
        return http;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    public Health health() throws WorkerException {
        return call(get("/health"), Health.class, true);
    }

    /** Newest first. */
    public List<SessionInfo> sessions() throws WorkerException {
        return call(get("/sessions"), new TypeReference<>() {});
    }

    public SessionInfo session(String id) throws WorkerException {
        return call(get("/sessions/" + id), SessionInfo.class, false);
    }

    /** The agent's report as Markdown. */
    public String report(String id) throws WorkerException {
        try (var response = execute(get("/sessions/" + id + "/report").header("Accept", "text/markdown").build())) {
            return body(response);
        }
    }

    /** One of the report's figures ({@code <name>.png} or {@code .svg}), as bytes; only names the agent makes are asked for. */
    public byte[] reportFigure(String id, String file) throws WorkerException {
        if (!file.matches("[a-z0-9]+(-[a-z0-9]+)*\\.(png|svg)")) throw new IllegalArgumentException("not a figure: " + file);
        try (var response = execute(get("/sessions/" + id + "/report/figures/" + file).build())) {
            if (!response.isSuccessful()) body(response);
            return response.body().bytes();
        } catch (IOException e) {
            throw WorkerException.unreachable(address.baseUrl().toString(), e);
        }
    }

    public void cancel(String id) throws WorkerException {
        try (var response = execute(new Request.Builder().url(address.resolve("/sessions/" + id + "/cancel").toString())
                .post(RequestBody.create(new byte[0])).build())) {
            body(response);
        }
    }

    public EventStream events(String sessionId, long afterSeq, EventStream.Listener listener) {
        return new EventStream(this, sessionId, afterSeq, listener);
    }

    public ChatConnection chat(String userId, ChatConnection.Listener listener) {
        return new ChatConnection(this, userId, listener);
    }

    Request.Builder get(String path) {
        return new Request.Builder().url(address.resolve(path).toString()).get();
    }

    Request.Builder post(String path, Object json) throws WorkerException {
        try {
            return new Request.Builder().url(address.resolve(path).toString())
                    .post(RequestBody.create(mapper.writeValueAsBytes(json), JSON));
        } catch (IOException e) {
            throw new IllegalArgumentException("not serialisable: " + json, e);
        }
    }

    <T> T call(Request.Builder request, Class<T> type, boolean acceptError) throws WorkerException {
        try (var response = execute(request.build())) {
            // an answer with an error status is still an answer (health says "degraded" with 503), but a refused key is not
            if (!response.isSuccessful() && (!acceptError || response.code() == 401)) body(response);
            return mapper.readValue(response.body().bytes(), type);
        } catch (WorkerException e) {
            throw e;
        } catch (IOException e) {
            throw WorkerException.unreachable(address.baseUrl().toString(), e);
        }
    }

    <T> T call(Request.Builder request, TypeReference<T> type) throws WorkerException {
        try (var response = execute(request.build())) {
            return mapper.readValue(body(response), type);
        } catch (WorkerException e) {
            throw e;
        } catch (IOException e) {
            throw WorkerException.unreachable(address.baseUrl().toString(), e);
        }
    }

    Response execute(Request request) throws WorkerException {
        return execute(http.newCall(request));
    }

    Response execute(Call call) throws WorkerException {
        try {
            return call.execute();
        } catch (IOException e) {
            throw WorkerException.unreachable(address.baseUrl().toString(), e);
        }
    }

    /** The body of a successful response; otherwise the worker's problem as an exception. */
    String body(Response response) throws WorkerException {
        String text;
        try {
            text = response.body().string();
        } catch (IOException e) {
            throw WorkerException.unreachable(address.baseUrl().toString(), e);
        }
        if (response.isSuccessful()) return text;
        if (response.code() == 401) throw WorkerException.keyRefused();
        var type = response.header("Content-Type", "");
        if (type.startsWith(Problem.MEDIA_TYPE) || type.startsWith("application/json")) {
            Problem problem = null;
            try {
                problem = mapper.readValue(text, Problem.class);
            } catch (IOException ignored) {
                // not a problem document after all: reported by status below
            }
            if (problem != null && (problem.status() != 0 || problem.title() != null)) throw WorkerException.problem(problem);
        }
        throw WorkerException.status(response.code(), text);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        http.dispatcher().cancelAll();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
