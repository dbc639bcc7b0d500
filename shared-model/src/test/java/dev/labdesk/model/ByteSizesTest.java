package dev.labdesk.model;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class ByteSizesTest {
    @Test
    void countsBelowAKibibyteAreWholeBytes() {
        assertThat(ByteSizes.human(0)).isEqualTo("0 B");
        assertThat(ByteSizes.human(812)).isEqualTo("812 B");
        assertThat(ByteSizes.human(1023)).isEqualTo("1023 B");
    }

    @Test
    void largerCountsAreBinaryUnitsWithOneDecimal() {
        assertThat(ByteSizes.human(1024)).isEqualTo("1.0 KiB");
        assertThat(ByteSizes.human(3482)).isEqualTo("3.4 KiB");
        assertThat(ByteSizes.human(15 * 1024 * 1024 + 300 * 1024)).isEqualTo("15.3 MiB");
        assertThat(ByteSizes.human(1288490189L)).isEqualTo("1.2 GiB");
        assertThat(ByteSizes.human(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
    }

    @Test
    void aCountJustUnderTheNextUnitIsWrittenInIt() {
        assertThat(ByteSizes.human(1024 * 1024 - 1)).isEqualTo("1.0 MiB");
        assertThat(ByteSizes.human(1024 * 1024 - 60)).isEqualTo("1023.9 KiB");
    }

    @Test
    void theDecimalPointDoesNotFollowTheMachinesLocale() {
        var before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(ByteSizes.human(1536)).isEqualTo("1.5 KiB");
        } finally {
            Locale.setDefault(before);
        }
    }
}
