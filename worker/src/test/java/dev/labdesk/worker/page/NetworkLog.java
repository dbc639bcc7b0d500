package dev.labdesk.worker.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.util.ArrayList;
import java.util.List;

/**
 * The DevTools network events of a browser started with {@code Chromium.start(dir, true)}. Reading
 * drains chromedriver's buffer, so the events are kept here to be asked about more than once.
 */
final class NetworkLog {
    /** One DevTools event: {@code method} like {@code Network.responseReceivedExtraInfo}, and its params. */
    record Event(String method, JsonNode params) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ChromeDriver driver;
    private final List<Event> events = new ArrayList<>();

    NetworkLog(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Every event so far (since the browser started or {@link #clear()}). */
    List<Event> events() {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                var message = JSON.readTree(entry.getMessage()).path("message");
                events.add(new Event(message.path("method").asText(), message.path("params")));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("chromedriver wrote a performance entry that is not JSON: " + entry.getMessage(), e);
            }
        }
        return List.copyOf(events);
    }

    void clear() {
        events();
        events.clear();
    }

    /** The events of one method, in order. */
    List<JsonNode> of(String method) {
        return events().stream().filter(e -> e.method().equals(method)).map(Event::params).toList();
    }
}
