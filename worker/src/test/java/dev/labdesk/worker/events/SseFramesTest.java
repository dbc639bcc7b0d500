package dev.labdesk.worker.events;

import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A log record's frame, written field by field, is byte for byte the frame of the wire mapper's JSON, and reads back whole. */
class SseFramesTest {
    private final com.fasterxml.jackson.databind.ObjectMapper mapper = Json.newMapper();
    private final SseFrames frames = new SseFrames(mapper);

    @Test
    void aLogRecordsFrameIsTheMappersJsonByteForByteWhateverItsText() throws Exception {
        var session = SessionIds.newId();
        var at = Instant.parse("2026-12-06T13:05:00.123456789Z");
        var records = List.of(
                new SessionEvent.Log(session, 1, at, "INFO", "agent", "plain"),
                new SessionEvent.Log(session, 22, at, "WARNING", "agent.profile", "quotes \" and \\\\ backslashes, a tab\\t and\\nnewlines\r\n"),
                new SessionEvent.Log(session, 333, at, "ERROR", "x", "controls \u0000\u0001\u001f, DEL \u007f, separators \u2028\u2029, </script>"),
                new SessionEvent.Log(session, 4_444, at, "DEBUG", "ünïcødé.logger", "ελληνικά, 中文, an emoji 🧪 and a lone surrogate half \uD83E"),
                new SessionEvent.Log(session, 55_555, null, null, null, null),
                new SessionEvent.Log(session, 666_666, Instant.EPOCH, "", "", ""),
                new SessionEvent.Log(session, Long.MAX_VALUE, at, "INFO", "big", "m".repeat(70_000)));
        for (var record : records) {
            var expected = new ByteArrayOutputStream();
            expected.writeBytes(("id: " + record.seq() + "\nevent: log\ndata: ").getBytes(StandardCharsets.US_ASCII));
            expected.writeBytes(mapper.writeValueAsBytes(record));
            expected.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));

            var written = new ByteArrayOutputStream();
            frames.write(record, written);

            assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString(StandardCharsets.UTF_8));
            assertThat(written.toByteArray()).isEqualTo(expected.toByteArray());
            assertThat(frames.read(written.toByteArray(), 0, written.size())).isEqualTo(mapper.readValue(mapper.writeValueAsBytes(record), SessionEvent.class));
        }
    }
}
