package dev.labdesk.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every contract record survives a trip through the wire mapper, with snake_case names. */
class JsonRoundTripTest {
    private final ObjectMapper mapper = Json.newMapper();
    private final Instant t = Instant.parse("2026-12-01T10:15:30.123Z");
    private final String id = "0b6f1c52-3a1e-4c1e-9d8e-4a2b9c7d6e5f";

    private <T> T roundTrip(T value, Class<? super T> type) throws Exception {
        var json = mapper.writeValueAsString(value);
        @SuppressWarnings("unchecked") var back = (T) mapper.readValue(json, type);
        assertThat(back).isEqualTo(value);
        return back;
    }

    @Test
    void everySessionEventKindRoundTripsWithItsType() throws Exception {
        var summary = new ReportSummary(3, 1234, 2, 40, List.of("a.csv", "b/c.parquet"), List.of("bad.csv"), "2 tables, 40 rows", "offline");
        List<SessionEvent> events = List.of(
                new SessionEvent.Status(id, 1, t, SessionStatus.RUNNING),
                new SessionEvent.Log(id, 2, t, "INFO", "agent", "Profiling a.csv"),
                new SessionEvent.Progress(id, 3, t, "profile", 1, 2),
                new SessionEvent.Result(id, 4, t, summary),
                new SessionEvent.Error(id, 5, t, "agent_failed", "exit 3", false));
        for (var e : events) {
            var json = mapper.writeValueAsString(e);
            assertThat(mapper.readTree(json).get("type").asText()).isEqualTo(e.type());
            assertThat(json).contains("\"session_id\":\"" + id + "\"");
            roundTrip(e, SessionEvent.class);
        }
        assertThat(mapper.writeValueAsString(events.get(3))).contains("\"table_names\":[\"a.csv\",\"b/c.parquet\"]");
    }

    @Test
    void theAgentsErrorIsAgentErrorOnTheWireAndTheOldNameIsStillRead() throws Exception {
        var error = new SessionEvent.Error(id, 5, t, "agent_failed", "exit 3", false);
        assertThat(mapper.readTree(mapper.writeValueAsString(error)).get("type").asText()).isEqualTo("agent_error");
        var old = mapper.writeValueAsString(error).replace("\"type\":\"agent_error\"", "\"type\":\"" + SessionEvent.LEGACY_ERROR + "\"");
        assertThat(old).contains("\"type\":\"error\"");
        assertThat(mapper.readValue(old, SessionEvent.class)).isEqualTo(error);
    }

    @Test
    void statusIsLowercaseOnTheWire() throws Exception {
        assertThat(mapper.writeValueAsString(SessionStatus.CANCELLED)).isEqualTo("\"cancelled\"");
        assertThat(mapper.readValue("\"succeeded\"", SessionStatus.class)).isEqualTo(SessionStatus.SUCCEEDED);
    }

    @Test
    void requestAndResponseRecordsRoundTrip() throws Exception {
        var context = new ExperimentContext("Growth", "OD600", "compare strains", "mut grows slower", "a@lab.org",
                List.of("growth", "plate reader"), Map.of("temperature_c", 37, "strain", "wt", "shaken", true));
        roundTrip(context, ExperimentContext.class);
        var session = roundTrip(new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.QUEUED, context, 2, 99, t, t, null, "ada"), SessionInfo.class);
        assertThat(mapper.writeValueAsString(session)).contains("\"created_at\":\"2026-12-01T10:15:30.123Z\"").doesNotContain("\"error\"");
        var accepted = new UploadAccepted(id, SessionIds.volumeName(id), "/sessions/" + id + "/events", 2, 99);
        roundTrip(accepted, UploadAccepted.class);
        assertThat(mapper.writeValueAsString(accepted)).contains("\"stream_url\"", "\"session_id\"");
        roundTrip(new FileEntry("a b/é.csv", 10, "ab".repeat(32)), FileEntry.class);
        roundTrip(new LogRecord("WARNING", "py.agent", "careful", t), LogRecord.class);
        roundTrip(Problem.validation(List.of(new FieldError("name", "is required"))), Problem.class);
        roundTrip(new Health("healthy", "1", Map.of("volumes", new Health.Dependency("ok", "local"))), Health.class);
        roundTrip(new ResumableUpload.Request(context, List.of(new ResumableUpload.PlannedFile("a.csv", 5, null))), ResumableUpload.Request.class);
    }

    @Test
    void unknownFieldsAreTolerated() throws Exception {
        var info = mapper.readValue("{\"path\":\"a\",\"size\":1,\"sha256\":\"x\",\"added_later\":true}", FileEntry.class);
        assertThat(info.path()).isEqualTo("a");
    }
}
