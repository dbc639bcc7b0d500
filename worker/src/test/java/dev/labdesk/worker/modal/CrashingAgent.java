package dev.labdesk.worker.modal;

/** An agent whose JVM dies with an uncaught exception: its stack trace goes to the Sandbox's stderr only. */
public final class CrashingAgent {
    private CrashingAgent() {}

    public static void main(String[] args) {
        readDataset();
    }

    private static void readDataset() {
        throw new IllegalStateException("the dataset engine fell over");
    }
}
