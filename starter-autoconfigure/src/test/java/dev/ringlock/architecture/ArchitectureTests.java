package dev.ringlock.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The package rule, which is also the module rule: the feature packages of ringlock-core know no backend, no
 * client library and no Spring Boot; each backend module knows no other backend and no Spring Boot; only
 * {@code autoconfigure} wires them together, so that a new backend is one module beside the others and an
 * application carries the client libraries of the backends it uses only.
 */
class ArchitectureTests {

    private static final String[] BACKENDS = {"dev.ringlock.redis..", "dev.ringlock.zookeeper..", "dev.ringlock.local.."};
    private static final String[] BACKEND_CLIENTS = {"org.springframework.data.redis..", "io.lettuce..",
            "org.apache.curator..", "org.apache.zookeeper..", "redis.clients.."};
    private static final String SPRING_BOOT = "org.springframework.boot..";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // the library's own classes only: not tests, not the test-support module's servers
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/dev/ringlock/testsupport/"))
                .importPackages("dev.ringlock");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev.ringlock.lock..", "dev.ringlock.counter..", "dev.ringlock.ring..",
            "dev.ringlock.leader..", "dev.ringlock.local..", "dev.ringlock.support.."})
    void coreKnowsNoSpringBoot(String corePackage) {
        noClasses().that().resideInAPackage(corePackage).should().dependOnClassesThat().resideInAPackage(SPRING_BOOT)
                .check(classes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev.ringlock.redis..", "dev.ringlock.zookeeper.."})
    void backendsKnowNoSpringBoot(String backend) {
        noClasses().that().resideInAPackage(backend).should().dependOnClassesThat().resideInAPackage(SPRING_BOOT)
                .check(classes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev.ringlock.lock..", "dev.ringlock.counter..", "dev.ringlock.ring..", "dev.ringlock.leader.."})
    void featurePackagesKnowNoBackend(String feature) {
        ArchRule rule = noClasses().that().resideInAPackage(feature).should().dependOnClassesThat()
                .resideInAnyPackage(concat(BACKENDS, BACKEND_CLIENTS, "dev.ringlock.autoconfigure.."))
                .allowEmptyShould(true);
        rule.check(classes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "zookeeper", "local"})
    void backendsKnowNoOtherBackendNorTheAutoConfiguration(String backend) {
        String own = "dev.ringlock." + backend + "..";
        String[] others = java.util.Arrays.stream(BACKENDS).filter(p -> !p.equals(own)).toArray(String[]::new);
        noClasses().that().resideInAPackage(own).should().dependOnClassesThat()
                .resideInAnyPackage(concat(others, new String[0], "dev.ringlock.autoconfigure.."))
                .check(classes);
    }

    @Test
    void theSharedSupportKnowsNoFeatureAndNoBackend() {
        noClasses().that().resideInAPackage("dev.ringlock.support..").should().dependOnClassesThat()
                .resideInAnyPackage(concat(BACKENDS, BACKEND_CLIENTS, "dev.ringlock.autoconfigure.."))
                .orShould().dependOnClassesThat()
                .resideInAnyPackage("dev.ringlock.lock..", "dev.ringlock.counter..", "dev.ringlock.ring..",
                        "dev.ringlock.leader..")
                .check(classes);
    }

    @Test
    void onlyTheRedisBackendTalksToRedisAndOnlyTheZooKeeperBackendToZooKeeper() {
        noClasses().that().resideOutsideOfPackages("dev.ringlock.redis..", "dev.ringlock.autoconfigure..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.data.redis..", "io.lettuce..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("dev.ringlock.zookeeper..", "dev.ringlock.autoconfigure..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.curator..", "org.apache.zookeeper..")
                .check(classes);
    }

    private static String[] concat(String[] a, String[] b, String c) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length + 1);
        System.arraycopy(b, 0, all, a.length, b.length);
        all[all.length - 1] = c;
        return all;
    }
}
