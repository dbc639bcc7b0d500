package dev.labdesk.worker.auth;

import dev.labdesk.model.Sha256;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The keys this worker accepts and the principals they stand for. */
public final class Keyring {
    private final List<ApiKey> keys;

    public Keyring(List<ApiKey> keys) {
        this.keys = List.copyOf(keys);
    }

    /** The configured keys, or in {@code TOKEN} mode the data dir's generated key for {@link Principal#LOCAL}. */
    public static Keyring of(AuthSettings settings, Path dataDir) throws IOException {
        return switch (settings.mode()) {
            case KEYS -> new Keyring(settings.keys());
            case TOKEN -> new Keyring(List.of(ApiKey.plain(Principal.LOCAL.id(), DataDirSecrets.readOrCreate(dataDir, DataDirSecrets.TOKEN_FILE), true)));
            case NONE -> new Keyring(List.of());
        };
    }

    /** The principal of a presented key. */
    public Optional<Principal> principal(String presented) {
        return find(presented).map(k -> new Principal(k.userId(), k.admin()));
    }

    /** The configured key that was presented; every key is compared, so the time says nothing about which matched. */
    public Optional<ApiKey> find(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 1024) return Optional.empty();
        var sha = Sha256.of(presented);
        ApiKey found = null;
        for (var k : keys) if (k.matches(sha)) found = k;
        return Optional.ofNullable(found);
    }

    public List<ApiKey> keys() {
        return keys;
    }
}
