package dev.labdesk.worker.events;

import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseFramesTest {
    private final SseFrames sse = new SseFrames(Json.newMapper());
    private final String session = SessionIds.newId();

    private String one(SessionEvent event) throws IOException {
        var out = new ByteArrayOutputStream();
        sse.write(event, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBatchsFramesAreTheBytesEachEventAloneIsWrittenAs() throws IOException {
        var shared = Instant.parse("2026-12-06T10:00:00.123456789Z");
        var events = new ArrayList<SessionEvent>();
        events.add(new SessionEvent.Status(session, 1, shared, SessionStatus.RUNNING));
        for (int i = 0; i < 5; i++) events.add(new SessionEvent.Log(session, 2 + i, shared, "INFO", "bench", "record " + i));
        events.add(new SessionEvent.Log(session, 7, Instant.parse("2026-12-06T10:00:01Z"), "WARNING", null, "é \"quoted\"\nline\u0001\t</script>"));
        events.add(new SessionEvent.Log(session, 8, shared, "INFO", "agent", "back to the batch's time"));
        events.add(new SessionEvent.Progress(session, 9, shared, "profile", 3, 10));
        events.add(new SessionEvent.Error(session, 10, Instant.EPOCH, "bad_file", "a file did not parse", true));
        events.add(new SessionEvent.Log(session, 123_456_789_012L, Instant.EPOCH, "DEBUG", "x", ""));
        events.add(new SessionEvent.Status(session, 123_456_789_013L, shared, SessionStatus.SUCCEEDED));

        var frames = sse.frames(events);

        assertThat(frames.length).isEqualTo(events.size());
        for (int i = 0; i < frames.length; i++) {
            var frame = new String(frames[i], StandardCharsets.UTF_8);
            assertThat(frame).as("frame %d", i).isEqualTo(one(events.get(i)));
            assertThat(sse.read(frames[i], 0, frames[i].length)).isEqualTo(events.get(i));
        }
        assertThat(new String(frames[1], StandardCharsets.UTF_8))
                .startsWith("id: 2\nevent: log\ndata: {\"type\":\"log\",")
                .contains("\"time\":\"2026-12-06T10:00:00.123456789Z\"")
                .endsWith("}\n\n");
    }

    @Test
    void anEmptyBatchHasNoFrames() {
        assertThat(sse.frames(List.of()).length).isZero();
    }
}
