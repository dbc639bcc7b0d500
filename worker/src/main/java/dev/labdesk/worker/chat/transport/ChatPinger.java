package dev.labdesk.worker.chat.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Sends an app-level {@code ping} frame to every socket of this instance at a fixed interval. */
public final class ChatPinger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatPinger.class);
    private final ChatRelay relay;
    private final String pingJson;
    private final ScheduledExecutorService timer;

    public ChatPinger(ChatRelay relay, String pingJson, Duration interval) {
        this.relay = relay;
        this.pingJson = pingJson;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("chat-ping").daemon().factory());
        long every = interval.toMillis();
        timer.scheduleAtFixedRate(this::pingAll, every, every, TimeUnit.MILLISECONDS);
    }

    private void pingAll() {
        try {
            relay.forEachSocket(s -> s.send(pingJson));
        } catch (RuntimeException e) {
            log.warn("chat ping round failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
