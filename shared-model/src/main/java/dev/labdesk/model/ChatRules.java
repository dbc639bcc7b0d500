package dev.labdesk.model;

import java.util.regex.Pattern;

/** Limits of the chat contract, shared by the worker (which enforces them) and clients (which can check first). */
public final class ChatRules {
    /** User ids: 1–64 of {@code A-Z a-z 0-9 . _ -}, so they are safe as Redis keys, file names and URL segments. */
    public static final int USER_ID_MAX = 64;
    /** A client message id is the client's own: any printable text up to this length. */
    public static final int CLIENT_MESSAGE_ID_MAX = 128;
    /** A frame larger than this is refused (Modal's proxy caps WebSocket messages at 2 MiB). */
    public static final int FRAME_MAX_BYTES = 2 * 1024 * 1024;
    /** The text of one message, in characters. */
    public static final int TEXT_MAX = 32_000;
    /** A {@code history} frame's limit: longer conversations come in several frames (gateways cap messages, Modal at 2 MiB). */
    public static final int HISTORY_FRAME_MAX_BYTES = 1024 * 1024;
    /** A profile field set by hand; notes may be longer. */
    public static final int PROFILE_VALUE_MAX = 300;
    public static final int PROFILE_NOTES_MAX = 2_000;

    private static final Pattern USER_ID = Pattern.compile("^[A-Za-z0-9._-]{1," + USER_ID_MAX + "}$");

    private ChatRules() {}

    public static boolean validUserId(String id) {
        return id != null && USER_ID.matcher(id).matches();
    }

    public static String userIdRule() {
        return "must be 1-" + USER_ID_MAX + " characters of A-Z, a-z, 0-9, '.', '_' or '-'";
    }

    public static boolean validClientMessageId(String id) {
        if (id == null || id.isEmpty() || id.length() > CLIENT_MESSAGE_ID_MAX) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7E) return false; // printable ASCII, no space: checked on every message, so no regex
        }
        return true;
    }

    public static String clientMessageIdRule() {
        return "must be 1-" + CLIENT_MESSAGE_ID_MAX + " printable ASCII characters without spaces";
    }
}
