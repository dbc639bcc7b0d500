package dev.labdesk.worker.events.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FormFieldsTest {
    @Test
    void decodesEscapesAndPlusesKeepsTheFirstValueAndAStrayPercent() {
        var f = FormFields.parse("msg=plate+3+%C3%A9mpty&name=lab.reader&msg=second&args=%28%29&odd=50%&bad=%zz+x&empty=&bare",
                List.of("msg", "name", "args", "odd", "bad", "empty", "bare", "absent"));
        assertThat(f).containsExactly("plate 3 émpty", "lab.reader", "()", "50%", "%zz+x", "", "", null);
    }

    @Test
    void onlyTheNamedFieldsAreKeptInTheirOrder() {
        var f = FormFields.parse("name=bench&msg=hello%21&thread=1&threadName=MainThread&levelname=INFO", List.of("levelname", "msg", "name"));
        assertThat(f).containsExactly("INFO", "hello!", "bench");
        assertThat(FormFields.parse("m%73g=escaped+name", List.of("msg"))).as("names are matched decoded").containsExactly("escaped name");
        assertThat(FormFields.parse("&&msg&=x&msgs=no&ms=no", List.of("msg"))).as("empty pairs and longer or shorter names").containsExactly("");
    }

    @Test
    void rawUtf8AndEscapedUtf8ReadTheSame() {
        var raw = "msg=μm+café".getBytes(StandardCharsets.UTF_8);
        assertThat(FormFields.parse(raw, List.of("msg"))).containsExactly("μm café");
        assertThat(FormFields.parse("msg=%CE%BCm%20caf%C3%A9", List.of("msg"))).containsExactly("μm café");
    }
}
