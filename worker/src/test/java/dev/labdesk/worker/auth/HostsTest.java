package dev.labdesk.worker.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which Host header values count as this machine: a page on any other name is another origin. */
class HostsTest {
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LocalHost", "app.localhost", "a.b.LOCALHOST", "[localhost]", "127.0.0.1", "127.255.255.255",
            "127.0.0.01", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]"})
    void loopbackNamesAndAddresses(String host) {
        assertThat(Hosts.isLoopback(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[", "[]", "]", ".localhost", "localhost.", "localhost.evil.example", "evillocalhost", "xlocalhost",
            "127.0.0", "127.0.0.1.5", "127.0.0.256", "127.0.0.1234", "127..0.1", "127.0.0.", "0127.0.0.1", "128.0.0.1", "127.0.0.1a",
            "127.0.0.-1", "::2", "::1:", "[::1", "::1]", "labdesk.example", "10.0.0.1", "0.0.0.0"})
    void everythingElse(String host) {
        assertThat(Hosts.isLoopback(host)).isFalse();
    }
}
