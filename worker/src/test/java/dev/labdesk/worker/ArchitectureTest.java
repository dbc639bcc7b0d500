package dev.labdesk.worker;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The worker's layering, kept by the build. */
class ArchitectureTest {
    private static final String W = "dev.labdesk.worker.";
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.labdesk.worker");
    }

    @Test
    void theAgentsAnalysisRunsWithoutTheServer() {
        noClasses().that().resideInAnyPackage(W + "agent.analysis..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..",
                        W + "session..", W + "upload..", W + "events..", W + "chat..", W + "auth..", W + "http..",
                        W + "redis..", W + "sqlite..")
                .because("the analysis runs in the agent's own process (a child JVM or a Modal sandbox), beside nothing but its volume")
                .check(classes);
    }

    @Test
    void authenticationDependsOnNoFeature() {
        noClasses().that().resideInAPackage(W + "auth..")
                .should().dependOnClassesThat().resideInAnyPackage(W + "upload..", W + "events..", W + "session..",
                        W + "chat..", W + "agent..", W + "redis..", W + "sqlite..", W + "modal..")
                .because("who is calling is decided before any feature runs, the same way for all of them")
                .check(classes);
    }

    @Test
    void leafInfrastructureDependsOnNothingElseInTheWorker() {
        for (var leaf : new String[] {"volume", "llm", "logging"}) {
            noClasses().that().resideInAPackage(W + leaf + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(W + "upload..", W + "events..", W + "session..",
                            W + "chat..", W + "agent..", W + "redis..", W + "sqlite..", W + "auth..", W + "http..")
                    .check(classes);
        }
    }

    @Test
    void redisIsInfrastructureThatNoFeatureLivesIn() {
        noClasses().that().resideInAPackage(W + "redis..")
                .should().dependOnClassesThat().resideInAnyPackage(W + "upload..", W + "events..", W + "session..",
                        W + "chat..", W + "agent..", W + "sqlite..", W + "modal..")
                .because("each store lives beside its interface (events, session, chat); redis/ holds only the connection, pub/sub and the stream tail")
                .check(classes);
    }

    @Test
    void sharedModelNeverDependsOnTheWorker() {
        noClasses().that().resideInAPackage("dev.labdesk.model..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.labdesk.worker..", "io.javalin..")
                .check(new ClassFileImporter().importPackages("dev.labdesk.model"));
    }
}
