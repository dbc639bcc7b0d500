package dev.labdesk.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Sha256Test {
    // FIPS 180-2's test vectors
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void writesTheDigestOfTextAndBytesAsLowercaseHex() {
        assertThat(Sha256.hexOf("abc")).isEqualTo(ABC);
        assertThat(Sha256.hexOf("abc".getBytes(StandardCharsets.UTF_8))).isEqualTo(ABC);
        assertThat(Sha256.hexOf(new byte[0])).isEqualTo(EMPTY);
    }

    @Test
    void aDigestFedInPartsGivesTheSameAsOneCallAndEachNewDigestStartsEmpty() {
        var first = Sha256.newDigest();
        var second = Sha256.newDigest();
        first.update("a".getBytes(StandardCharsets.UTF_8));
        first.update("bc".getBytes(StandardCharsets.UTF_8));
        assertThat(Sha256.hexOf(first)).isEqualTo(ABC);
        assertThat(Sha256.hexOf(second)).isEqualTo(EMPTY);
    }

    @Test
    void aPrefixIsTheFirstBytesOnlyAndHexParsesBackInEitherCase() {
        var digest = Sha256.of("abc");
        assertThat(Sha256.hexPrefix(digest, 8)).isEqualTo(ABC.substring(0, 16));
        assertThat(Sha256.parseHex(ABC.toUpperCase(java.util.Locale.ROOT))).isEqualTo(digest);
        assertThat(Sha256.hex(new byte[] {0, (byte) 0xAB, 0x7F})).isEqualTo("00ab7f");
        assertThatThrownBy(() -> Sha256.parseHex("zz")).isInstanceOf(IllegalArgumentException.class);
    }
}
