package dev.labdesk.worker.auth;

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
            case TOKEN -> new Keyring(List.of(ApiKey.plain(Principal.LOCAL.id(), DataDirSecrets.readOrCreate(dataDir, DataDirSecrets.TOKEN_FILE), false)));
            case NONE -> new Keyring(List.of());
        };
    }

    /** The principal of a presented key; every configured key is compared, so the time says nothing about which matched. */
    public Optional<Principal> principal(String presented) {
        if (presented == null || presented.isEmpty()) return Optional.empty();
        var sha = ApiKey.digest(presented);
        ApiKey found = null;
        for (var k : keys) if (k.matches(sha)) found = k;
        return found == null ? Optional.empty() : Optional.of(new Principal(found.userId(), found.admin()));
    }

    public List<ApiKey> keys() {
        return keys;
    }
}
