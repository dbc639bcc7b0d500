package dev.labdesk.worker.modal;

import java.io.IOException;

/** The bridge could not do what Modal was asked (SDK missing, Modal unreachable, quota): a 502 for the client. */
public final class ModalUnavailableException extends IOException {
    public ModalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
