package dev.labdesk.worker.agent.narrative;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The loose check of the model's numbers: rounding and percentages are fine, names and code are not numbers, an invented number is listed. */
class NumberCheckTest {
    private static final ObjectMapper JSON = Json.newMapper();

    @Test
    void numbersFoundAtTheirWrittenPrecisionPassAndInventedOnesAreListed() throws Exception {
        var offline = JSON.readTree("{\"tables\":[{\"rows\":1250,\"columns\":[{\"name\":\"od600\",\"min\":\"0.12\",\"share\":0.25}]}],\"day\":\"2026-04-12\"}");
        var check = NumberCheck.of(List.of(0.193333333, 7L, new BigDecimal("-3.5"), "mean 12.75"), offline);
        var text = """
                The 1,250 rows of OD600 (plate A1) average 0.19 and 0.1933; 25% of wells are empty, min 0.12, 7 strains on 2026-04-12,
                a drop of 3.5 and a mean of 12.8. Invented: 0.42, 17 % and 1,300. `SELECT 99 FROM t` ![x](figures/p-77.png)
                1. a list item
                """;
        assertThat(check.unverified(text)).containsExactly("0.42", "17 %", "1,300");
    }
}
