package dev.labdesk.worker.volume;

/** PLACEHOLDER: replaced by its implementation. */
public final class LocalVolumeStore implements VolumeStore {
    public LocalVolumeStore(java.nio.file.Path root) throws java.io.IOException {}
    public String kind() { return "local"; }
    public VolumeUpload begin(String sessionId) { throw new UnsupportedOperationException(); }
    public boolean exists(String sessionId) { return false; }
    public java.nio.file.Path localPath(String sessionId) { throw new UnsupportedOperationException(); }
    public java.util.Optional<java.nio.file.Path> file(String sessionId, String relativePath) { return java.util.Optional.empty(); }
    public dev.labdesk.model.Health.Dependency health() { return new dev.labdesk.model.Health.Dependency("ok", "local"); }
}
