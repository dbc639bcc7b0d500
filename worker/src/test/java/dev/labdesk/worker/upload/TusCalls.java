package dev.labdesk.worker.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.model.ResumableUpload;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The resumable-upload calls of the tests, over real HTTP to the worker {@code base} names (asked per call: a test may restart it). */
record TusCalls(HttpClient http, Supplier<URI> base) {
    private static final ObjectMapper JSON = Json.newMapper();

    /** {@code POST /uploads}: the plan, which must be accepted (201). */
    JsonNode plan(ResumableUpload.Request request) throws Exception {
        var response = post("/uploads", JSON.writeValueAsBytes(request));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    HttpResponse<String> complete(JsonNode created) throws Exception {
        return post("/uploads/" + created.get("upload_id").asText() + "/complete", new byte[0]);
    }

    HttpResponse<String> post(String path, byte[] json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> patch(String url, long offset, byte[] bytes) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(url)).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", Long.toString(offset)).header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The file's offset as a {@code HEAD} tells it. */
    long offset(String url) throws Exception {
        var head = http.send(HttpRequest.newBuilder(uri(url)).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
    }

    private URI uri(String path) {
        return URI.create(base.get() + path);
    }
}
