package dev.labdesk.worker.page;

import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.events.FinishedSessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Chromium's own EventSource on a finished session: it stops after the end, and onerror is only the connection's. */
class BrowserEventSourceTest {
    @RegisterExtension
    static final HeadlessBrowser browser = new HeadlessBrowser();

    @TempDir Path dataDir;

    private static final String SCRIPT = """
            const [url, mode, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
            const seen = [];
            const es = new EventSource(url);
            es.onopen = () => seen.push('open');
            for (const name of ['status', 'log', 'agent_error', 'end'])
              es.addEventListener(name, (e) => seen.push(name === 'end' ? 'end' : name + ':' + e.lastEventId));
            es.onerror = () => { seen.push('onerror(readyState=' + es.readyState + ')'); if (mode === 'close-on-error') es.close(); };
            setTimeout(() => { const state = es.readyState; es.close(); done({ seen, state }); }, 7000);
            """;

    @Test
    @SuppressWarnings("unchecked")
    void chromiumsEventSourceStopsAfterTheEndAndOnerrorIsNotTheAgentsError() throws Exception {
        var worker = browser.start(WorkerConfig.local(dataDir));
        var id = FinishedSessions.withAgentError(worker);
        var driver = browser.driver();
        driver.manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(30));
        driver.get(worker.baseUrl() + "/health"); // a same-origin document to run the script in
        var url = worker.baseUrl() + "/sessions/" + id + "/events";
        @SuppressWarnings("unchecked")
        var left = (java.util.Map<String, Object>) driver.executeAsyncScript(SCRIPT, url, "never-close");
        assertThat((List<Object>) left.get("seen")).as("one connection, then the 204 on resume closes it for good")
                .containsExactly("open", "log:1", "agent_error:2", "status:3", "end", "onerror(readyState=0)", "onerror(readyState=2)");
        assertThat(((Number) left.get("state")).intValue()).as("CLOSED").isEqualTo(2);
        @SuppressWarnings("unchecked")
        var closed = (java.util.Map<String, Object>) driver.executeAsyncScript(SCRIPT, url, "close-on-error");
        assertThat((List<Object>) closed.get("seen")).as("onerror = () => es.close() fires only when the connection ends")
                .containsExactly("open", "log:1", "agent_error:2", "status:3", "end", "onerror(readyState=0)");
    }
}
