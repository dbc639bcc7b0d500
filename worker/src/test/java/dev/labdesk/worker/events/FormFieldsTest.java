package dev.labdesk.worker.events;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FormFieldsTest {
    @Test
    void decodesEscapesAndPlusesKeepsTheFirstValueAndAStrayPercent() {
        var f = FormFields.parse("msg=plate+3+%C3%A9mpty&name=lab.reader&msg=second&args=%28%29&odd=50%&empty=&bare");
        assertThat(f).containsEntry("msg", "plate 3 émpty").containsEntry("name", "lab.reader")
                .containsEntry("args", "()").containsEntry("odd", "50%").containsEntry("empty", "").containsEntry("bare", "");
    }

    @Test
    void onlyTheNamedFieldsAreKept() {
        var f = FormFields.parse("name=bench&msg=hello%21&thread=1&threadName=MainThread&levelname=INFO", Set.of("msg", "name", "levelname"));
        assertThat(f).containsOnlyKeys("msg", "name", "levelname").containsEntry("msg", "hello!");
        assertThat(FormFields.parse("m%73g=escaped+name", Set.of("msg"))).as("names are matched decoded").containsEntry("msg", "escaped name");
    }
}
