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
    void logIngestAndTheLiveStreamMeetOnlyInTheEventLog() {
        noClasses().that().resideInAPackage(W + "events.ingest..")
                .should().dependOnClassesThat().resideInAPackage(W + "events.stream..")
                .because("records come in through POST /log and go out over SSE; the event log between them is the only thing both know")
                .check(classes);
        noClasses().that().resideInAPackage(W + "events.stream..")
                .should().dependOnClassesThat().resideInAPackage(W + "events.ingest..")
                .check(classes);
        noClasses().that().resideInAPackage(W + "events")
                .should().dependOnClassesThat().resideInAnyPackage(W + "events.ingest..", W + "events.stream..")
                .because("the stores know events, not how they arrive or leave")
                .check(classes);
    }

    @Test
    void chatAgentsKnowNothingOfSocketsQueuesOrStores() {
        noClasses().that().resideInAPackage(W + "chat.agents..")
                .should().dependOnClassesThat().resideInAnyPackage(W + "chat.transport..", W + "chat.replies..",
                        W + "chat.store..", W + "chat.profile..")
                .because("an agent turns a conversation into a reply; how it arrived and where it is kept is not its business")
                .check(classes);
        noClasses().that().resideInAPackage(W + "chat.store..")
                .should().dependOnClassesThat().resideInAnyPackage(W + "chat.transport..", W + "chat.replies..",
                        W + "chat.agents..", W + "chat.profile..")
                .check(classes);
    }

    @Test
    void sharedModelNeverDependsOnTheWorker() {
        noClasses().that().resideInAPackage("dev.labdesk.model..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.labdesk.worker..", "io.javalin..")
                .check(new ClassFileImporter().importPackages("dev.labdesk.model"));
    }
}
