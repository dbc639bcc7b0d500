package dev.labdesk.worker.auth;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Workers with credentials on, and the requests the auth tests send them. */
final class AuthTestWorkers {
    static final String ADA_KEY = "ada-key-0123456789abcdef";
    static final String BOB_KEY = "bob-key-0123456789abcdef";
    static final OkHttpClient HTTP = new OkHttpClient.Builder().followRedirects(false)
            .readTimeout(Duration.ofSeconds(30)).build();

    private AuthTestWorkers() {}

    static AuthSettings adaAndBob() {
        return AuthSettings.keys(List.of(ApiKey.plain("ada", ADA_KEY, false), ApiKey.plain("bob", BOB_KEY, false)));
    }

    static Worker start(Path dataDir, AuthSettings auth) throws IOException {
        return new Worker(WorkerConfig.local(dataDir).withAuth(auth)).start();
    }

    static Request.Builder get(Worker w, String path) {
        return new Request.Builder().url(w.baseUrl() + path);
    }

    static Request.Builder withKey(Request.Builder b, String key) {
        return b.header("Authorization", "Bearer " + key);
    }

    /** A valid one-file upload form. */
    static RequestBody uploadForm() {
        return new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("name", "Guarded")
                .addFormDataPart("description", "an upload the tests try from several places")
                .addFormDataPart("files", "a.csv", RequestBody.create("x,y\n1,2\n".getBytes()))
                .build();
    }

    record Answer(int code, String body, okhttp3.Headers headers) {}

    static Answer call(Request request) throws IOException {
        try (var response = HTTP.newCall(request).execute()) {
            return new Answer(response.code(), response.body().string(), response.headers());
        }
    }
}
