package dev.labdesk.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemTest {
    private static final FieldError HEADER = new FieldError("Content-Type", "must be multipart/form-data");

    @Test
    void everyProblemThatListsFieldsIsOfTheValidationType() {
        var problems = List.of(
                Problem.validation(List.of(HEADER)),
                Problem.validation(409, "Upload incomplete", List.of(HEADER, HEADER), "2 files are not complete"),
                Problem.validation(422, "Idempotency key reused", "a resend must be the same bytes", HEADER),
                Problem.malformed("the body is not valid JSON", HEADER),
                Problem.unsupportedMediaType("POST /upload takes multipart/form-data", HEADER),
                Problem.preconditionFailed("this server speaks tus 1.0.0", HEADER));
        assertThat(problems).allSatisfy(p -> {
            assertThat(p.type()).isEqualTo("https://labdesk.dev/problems/validation").isEqualTo(Problem.VALIDATION);
            assertThat(p.errors()).isNotEmpty();
        });
        assertThat(problems).extracting(Problem::status).containsExactly(422, 409, 422, 400, 415, 412);
    }

    @Test
    void aValidationDetailNamesTheOneFieldOrSummarisesSeveral() {
        assertThat(Problem.validation(List.of(HEADER)).detail()).isEqualTo("Content-Type: must be multipart/form-data");
        assertThat(Problem.validation(List.of(HEADER, new FieldError("name", "is required"))).detail()).isEqualTo("2 fields are invalid");
        assertThat(Problem.validation(409, "Upload incomplete", List.of(HEADER, HEADER), "2 files are not complete").detail())
                .isEqualTo("2 files are not complete");
    }

    @Test
    void aProblemAboutNoFieldIsBlankAndWritesNoErrors() throws Exception {
        var problem = Problem.of(404, "Not found", "no route for GET /nowhere");
        assertThat(problem.type()).isEqualTo("about:blank");
        var mapper = Json.newMapper();
        var json = mapper.readTree(mapper.writeValueAsString(problem));
        assertThat(json.has("errors")).isFalse();
        assertThat(json.get("status").asInt()).isEqualTo(404);
    }
}
