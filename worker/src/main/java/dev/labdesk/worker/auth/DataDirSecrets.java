package dev.labdesk.worker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets the worker keeps in its data dir: the generated key of the principal {@code local}
 * ({@code token}) and the key that signs the page's cookies ({@code session-secret}). Each is made
 * once, readable by the worker's user only, and the same across restarts.
 */
public final class DataDirSecrets {
    public static final String TOKEN_FILE = "token";
    public static final String COOKIE_SECRET_FILE = "session-secret";
    private static final SecureRandom RANDOM = new SecureRandom();

    private DataDirSecrets() {}

    /** A fresh random key: 256 bits, URL-safe base64 without padding. */
    public static String newKey() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The data dir, made if missing, and closed to other users (0700). */
    public static Path secureDir(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Permissions.ownerOnlyDir(dataDir);
        return dataDir;
    }

    /** The secret in {@code dataDir/name}, made on first use. */
    public static String readOrCreate(Path dataDir, String name) throws IOException {
        var file = secureDir(dataDir).resolve(name);
        for (int attempt = 0; ; attempt++) {
            if (Files.exists(file)) {
                Permissions.ownerOnlyFile(file);
                var text = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (text.length() >= 16) return text;
                if (attempt > 0) throw new IOException(file + " holds no usable secret: delete it to have a new one made");
                // an empty or truncated file (a crash while it was first written): make it again
                Files.delete(file);
            }
            var key = newKey();
            var tmp = Files.createTempFile(dataDir, "." + name, ".tmp");
            try {
                Permissions.ownerOnlyFile(tmp);
                Files.writeString(tmp, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.SYNC);
                // a second worker starting on the same dir at the same moment keeps the first one's key
                Files.createLink(file, tmp);
                return key;
            } catch (FileAlreadyExistsException raced) {
                // read the winner's on the next turn
            } finally {
                Files.deleteIfExists(tmp);
            }
            if (attempt > 3) throw new IOException("could not create " + file);
        }
    }

    /** Owner-only permissions where the file system has POSIX permissions (not on Windows). */
    public static final class Permissions {
        private Permissions() {}

        public static void ownerOnlyDir(Path dir) throws IOException {
            if (posix(dir)) Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }

        public static void ownerOnlyFile(Path file) throws IOException {
            if (posix(file)) Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }

        private static boolean posix(Path p) {
            return p.getFileSystem().supportedFileAttributeViews().contains("posix");
        }
    }
}
