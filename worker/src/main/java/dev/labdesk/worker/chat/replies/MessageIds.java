package dev.labdesk.worker.chat.replies;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version-4 UUIDs for message and socket ids. They only need to be unique, not unguessable
 * (they name messages to their own user), so they come from {@link ThreadLocalRandom}:
 * {@link UUID#randomUUID()} reads {@code SecureRandom} under a lock shared by every thread, a cost
 * on every chat turn (docs/BENCHMARKS.md).
 */
public final class MessageIds {
    private MessageIds() {}

    public static String random() {
        var random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long lsb = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(msb, lsb).toString();
    }
}
