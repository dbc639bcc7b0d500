package dev.labdesk.worker.events.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedNamesTest {
    @Test
    void equalNamesComeBackAsOneSharedString() {
        var names = new RepeatedNames();
        var first = names.canonical(new String("lab.reader"));
        var second = names.canonical(new String("lab.reader"));
        assertThat(second).isEqualTo("lab.reader").isSameAs(first);
        assertThat(names.canonical(null)).isNull();
    }

    @Test
    void pastItsBoundAndForLongStringsItHandsBackTheStringAsGiven() {
        var names = new RepeatedNames();
        for (int i = 0; i < RepeatedNames.MAX_NAMES; i++) names.canonical("logger-" + i);
        var late = new String("one too many");
        assertThat(names.canonical(late)).isSameAs(late);
        assertThat(names.canonical(new String("logger-7"))).as("those held stay shared").isSameAs(names.canonical("logger-7"));
        var longName = "x".repeat(RepeatedNames.MAX_LENGTH + 1);
        assertThat(new RepeatedNames().canonical(longName)).isSameAs(longName);
    }
}
