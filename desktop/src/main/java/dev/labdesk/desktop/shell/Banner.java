package dev.labdesk.desktop.shell;

/**
 * The line above everything that says what went wrong and what to do. The view picks its action
 * (Open Settings for a refused key) by {@link Kind}, never by the text.
 */
public record Banner(Kind kind, String text) {
    public enum Kind {
        /** Nothing to show. */
        NONE,
        /** The worker did not answer; cleared by the next health check that gets through. */
        UNREACHABLE,
        /** The worker answered 401: the key in Settings (or the Modal key) is missing or wrong. */
        KEY_REFUSED,
        /** Anything else worth saying once: a failed save, a failed start. */
        MESSAGE
    }

    public static final Banner NONE = new Banner(Kind.NONE, "");

    public static Banner keyRefused(String workerUrl) {
        return new Banner(Kind.KEY_REFUSED, "The worker refused the key: open Settings to enter the key for " + workerUrl);
    }

    public static Banner message(String text) {
        return new Banner(Kind.MESSAGE, text);
    }

    public boolean shown() {
        return kind != Kind.NONE;
    }
}
