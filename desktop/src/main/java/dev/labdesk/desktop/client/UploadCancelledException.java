package dev.labdesk.desktop.client;

/** The user cancelled an upload; whatever the worker had received is removed. */
public final class UploadCancelledException extends Exception {
    public UploadCancelledException() {
        super("upload cancelled");
    }
}
