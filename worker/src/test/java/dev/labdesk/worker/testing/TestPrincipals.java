package dev.labdesk.worker.testing;

import dev.labdesk.worker.auth.ApiKey;
import dev.labdesk.worker.auth.AuthSettings;

import java.util.List;

/** Three principals for tests of who sees what: {@code ada} and {@code bob}, and {@code root}, an admin. */
public final class TestPrincipals {
    public static final String ADA = "ada-key-0123456789abcdef";
    public static final String BOB = "bob-key-0123456789abcdef";
    public static final String ROOT = "root-key-0123456789abcdef";

    private TestPrincipals() {}

    public static AuthSettings auth() {
        return AuthSettings.keys(List.of(ApiKey.plain("ada", ADA, false), ApiKey.plain("bob", BOB, false), ApiKey.plain("root", ROOT, true)));
    }
}
