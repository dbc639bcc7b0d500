package dev.labdesk.worker.events.stream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The slot counts under many threads at once: never above a cap, and all of it given back. */
class SubscriberSlotsTest {
    @Test
    void manyThreadsRacingForSlotsNeverGetMoreThanTheCapsAndClosingGivesEveryOneBack() throws Exception {
        var slots = new SubscriberSlots(5, 8);
        var held = Collections.synchronizedList(new ArrayList<SubscriberSlots.Slot>());
        var start = new CountDownLatch(1);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                var session = "s" + (i % 3);
                pool.submit(() -> {
                    start.await();
                    if (slots.admit(session, "ada") instanceof SubscriberSlots.Slot slot) held.add(slot);
                    return null;
                });
            }
            start.countDown();
        }
        assertThat(held).as("ada's cap, reached across three sessions of at most 5 each").hasSize(8);
        assertThat(slots.admit("s9", "ada")).isInstanceOf(SubscriberSlots.Refused.class);
        assertThat(slots.admit("s9", "bob")).isInstanceOf(SubscriberSlots.Slot.class);

        for (var slot : held) {
            slot.close();
            slot.close(); // twice: still one slot given back
        }
        var again = new ArrayList<SubscriberSlots.Admission>();
        for (int i = 0; i < 5; i++) again.add(slots.admit("s0", "ada"));
        assertThat(again).allMatch(SubscriberSlots.Slot.class::isInstance);
        assertThat(slots.admit("s0", "ada")).as("the session's cap again, after everything came back")
                .isInstanceOfSatisfying(SubscriberSlots.Refused.class, r -> assertThat(r.detail()).contains("this session already has 5"));
        List<SubscriberSlots.Admission> more = List.of(slots.admit("s1", "ada"), slots.admit("s1", "ada"), slots.admit("s1", "ada"));
        assertThat(more).allMatch(SubscriberSlots.Slot.class::isInstance);
        assertThat(slots.admit("s1", "ada")).isInstanceOfSatisfying(SubscriberSlots.Refused.class,
                r -> assertThat(r.detail()).contains("you already hold 8"));
    }
}
