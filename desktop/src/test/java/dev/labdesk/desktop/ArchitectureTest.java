package dev.labdesk.desktop;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The desktop's layering, kept by the build: view models hold state and logic, views draw, the client talks. */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.labdesk.desktop");
    }

    @Test
    void viewModelsNeverTouchTheSceneGraph() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .or().haveSimpleName("ChatItem").or().haveSimpleName("ProfileRow")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..")
                .because("a view model is tested without a window and bound to by its view, never the other way round")
                .check(classes);
    }

    @Test
    void theWorkerClientKnowsNothingOfJavaFx() {
        noClasses().that().resideInAPackage("dev.labdesk.desktop.client..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .because("networking runs on its own threads and reaches the UI only through the view models")
                .check(classes);
    }

    @Test
    void viewsNeverTalkToTheNetwork() {
        noClasses().that().haveSimpleNameEndingWith("View").or().haveSimpleNameEndingWith("Window")
                .or().haveSimpleNameEndingWith("Dialog")
                .should().dependOnClassesThat().resideInAnyPackage("okhttp3..", "java.net.http..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.labdesk.desktop.client.WorkerClient")
                .because("views bind to view models; calls to the worker belong to the view models")
                .check(classes);
    }

    @Test
    void onlyTheTaskExecutorAndTheClientMakeThreads() {
        noClasses().that().resideOutsideOfPackages("dev.labdesk.desktop.tasks..", "dev.labdesk.desktop.client..")
                .should().dependOnClassesThat().belongToAnyOf(Thread.class, Executors.class, ForkJoinPool.class)
                .because("view models get their background and timers injected (a TaskExecutor), so their tests run them by hand;"
                        + " views start no work of their own")
                .check(classes);
    }

    @Test
    void viewModelsNeverReachForViews() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("View")
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("Window")
                .check(classes);
    }
}
