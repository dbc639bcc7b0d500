package dev.labdesk.worker.chat.agents;

/** A reply or an extraction failed; {@code code} and {@code retryable} go to the client as they are. */
public final class ChatAgentException extends Exception {
    private final String code;
    private final boolean retryable;

    public ChatAgentException(String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    public ChatAgentException(String code, String message, boolean retryable) {
        this(code, message, retryable, null);
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
