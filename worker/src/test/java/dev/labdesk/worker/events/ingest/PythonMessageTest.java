package dev.labdesk.worker.events.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code msg % args} as Python's {@code LogRecord.getMessage()} would give, from HTTPHandler's text form of args. */
class PythonMessageTest {
    @Test
    void positionalArguments() {
        assertThat(PythonMessage.format("plate %s: %d wells, OD %.2f", "('A 1', 96, 0.1234)")).isEqualTo("plate A 1: 96 wells, OD 0.12");
        assertThat(PythonMessage.format("one %s", "('x',)")).isEqualTo("one x");
        assertThat(PythonMessage.format("repr %r and %s", "(\"it's\", None)")).isEqualTo("repr \"it's\" and None");
        assertThat(PythonMessage.format("100%% of %s", "('runs',)")).isEqualTo("100% of runs");
        assertThat(PythonMessage.format("[%5s|%-4s]", "('ab', 'c')")).isEqualTo("[   ab|c   ]");
        assertThat(PythonMessage.format("list %s then %s", "([1, 2], 3)")).isEqualTo("list [1, 2] then 3");
    }

    @Test
    void fixedPointRoundsLikePython() {
        assertThat(PythonMessage.format("%.1f|%.2f|%f|%6.1f", "(37.25, 0.125, 1.5, 2.25)")).isEqualTo("37.2|0.12|1.500000|   2.2");
    }

    @Test
    void namedArguments() {
        assertThat(PythonMessage.format("%(n)d runs of %(what)s", "{'n': 3, 'what': 'plates'}")).isEqualTo("3 runs of plates");
    }

    @Test
    void noArgumentsOrNoPlaceholdersLeaveTheMessageAlone() {
        assertThat(PythonMessage.format("50% done", "()")).isEqualTo("50% done");
        assertThat(PythonMessage.format("plain", "('unused',)")).isEqualTo("plain");
        assertThat(PythonMessage.format("x %s", null)).isEqualTo("x %s");
    }

    @Test
    void whatCannotBeAppliedIsShownBesideTheMessage() {
        assertThat(PythonMessage.format("%s and %s", "('only one',)")).isEqualTo("%s and %s ('only one',)");
        assertThat(PythonMessage.format("%d wells", "('many',)")).isEqualTo("%d wells ('many',)");
        assertThat(PythonMessage.format("obj %s", "(<Plate object at 0x7f>,)")).isEqualTo("obj <Plate object at 0x7f>");
    }
}
