package dev.labdesk.desktop.upload;

/** Where an upload stands, as the progress area shows it. */
public enum UploadPhase {
    IDLE, CHECKING, UPLOADING, RETRYING, CANCELLING, DONE, CANCELLED, FAILED;

    public boolean busy() {
        return this == CHECKING || this == UPLOADING || this == RETRYING || this == CANCELLING;
    }
}
