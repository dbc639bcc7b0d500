package dev.labdesk.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ValidationRulesTest {
    private static ExperimentContext context(String name, String description, String email, List<String> tags, Map<String, Object> params) {
        return new ExperimentContext(name, description, null, null, email, tags, params);
    }

    @Test
    void aCompleteContextIsValid() {
        assertThat(ContextRules.validate(context("Growth curves", "OD600", "ana.lopez@uni.example.org",
                List.of("growth", "plate reader", "E. coli"), Map.of("temperature_c", 37.5, "strain", "wt", "shaken", false)))).isEmpty();
    }

    @Test
    void eachRuleNamesItsField() {
        assertThat(fields(context(null, " ", null, null, null))).containsExactly("name", "description");
        assertThat(fields(context("n", "d", "x@y", null, null))).containsExactly("contact_email");
        assertThat(fields(context("n", "d", null, List.of("ok", ""), null))).containsExactly("tags[1]");
        assertThat(fields(context("n", "d", null, null, Map.of("x", List.of(1))))).containsExactly("parameters.x");
        assertThat(fields(context("n", "d", null, null, Map.of("1x", 1)))).containsExactly("parameters");
        assertThat(fields(context("n".repeat(201), "d", null, null, null))).containsExactly("name");
        // lengths count characters, not UTF-16 units: 200 emoji are a valid name
        assertThat(fields(context("🧪".repeat(200), "d", null, null, null))).isEmpty();
    }

    @Test
    void tagsSplitOnCommasAndDropBlanks() {
        assertThat(ContextRules.splitTags(" a, b ,,c ,")).containsExactly("a", "b", "c");
        assertThat(ContextRules.splitTags("  ")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"data.csv", "raw/day 1/plate (3).csv", "données/été.tsv", "a/b/c/d/e.json", ".hidden/x", "résultats/x.csv", "results.csv"})
    void acceptablePaths(String path) {
        assertThat(RelativePaths.problem(path)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "../x", "a/../b", "a/./b", "a//b", "a/", "C:/x", "c:x", "a\\b", "a\u0000b", "a\nb", "results/x", "results", " /x"})
    void refusedPaths(String path) {
        assertThat(RelativePaths.problem(path)).isPresent();
    }

    @Test
    void reservedFolderIsOnlyRefusedForUploads() {
        assertThat(RelativePaths.syntaxProblem("results/report.md")).isEmpty();
        assertThat(RelativePaths.syntaxProblem("../report.md")).isPresent();
    }

    @Test
    void collisionKeyFoldsCaseAndUnicodeForm() {
        assertThat(RelativePaths.collisionKey("Caf\u00e9.CSV")).isEqualTo(RelativePaths.collisionKey("cafe\u0301.csv"));
    }

    @Test
    void volumeNamesFitModal() {
        var id = SessionIds.newId();
        assertThat(SessionIds.valid(id)).isTrue();
        assertThat(SessionIds.volumeName(id)).matches("[A-Za-z0-9._-]{1,64}").startsWith("dataset-volume-");
        assertThat(SessionIds.valid("../etc")).isFalse();
    }

    private static List<String> fields(ExperimentContext c) {
        return ContextRules.validate(c).stream().map(FieldError::field).toList();
    }

    @Test
    void everyValidationErrorNamesAFormFieldByItsWireName() {
        var bad = new ExperimentContext("", "", "x".repeat(ContextRules.GOALS_MAX + 1), null, "ada@",
                List.of("ok", ""), Map.of("1bad", 3, "temp", Map.of()));
        var fields = ContextRules.validate(bad).stream().map(FieldError::field).toList();
        assertThat(fields).contains("name", "description", "goals", "contact_email", "tags[1]", "parameters", "parameters.temp");
        assertThat(fields).allSatisfy(f -> assertThat(ContextField.ofError(f)).as(f).isPresent());
        assertThat(ContextField.ofError("tags[1]")).contains(ContextField.TAGS);
        assertThat(ContextField.ofError("parameters.temp")).contains(ContextField.PARAMETERS);
        assertThat(ContextField.ofError("files[0].path")).isEmpty();
        assertThat(ContextField.ofWire("contact_email")).contains(ContextField.CONTACT_EMAIL);
    }
}
