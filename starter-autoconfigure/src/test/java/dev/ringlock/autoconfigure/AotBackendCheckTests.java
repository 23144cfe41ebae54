package dev.ringlock.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The start-up check of an application processed ahead of time: its beans were chosen at build time (here:
 * the local backend), and the properties it runs with may choose another backend, which must fail start-up
 * instead of being ignored.
 */
class AotBackendCheckTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class, LockAutoConfiguration.class,
                    CounterAutoConfiguration.class, RingAutoConfiguration.class))
            .withPropertyValues("ringlock.backend=local", "ringlock.ring.self-id=me");

    @Test
    void propertiesThatChooseTheGeneratedBackendsPass() {
        runner.run(context -> assertThatNoException().isThrownBy(() -> check(context.getSourceApplicationContext(), true)));
    }

    @Test
    void aBackendChosenAtRunTimeThatTheBuildDidNotGenerateFailsNamingTheFeatureAndBothBackends() {
        runner.run(context -> {
            ConfigurableApplicationContext application = context.getSourceApplicationContext();
            TestPropertyValues.of("ringlock.counter.backend=redis").applyTo(application);
            assertThatExceptionOfType(AotBackendMismatchException.class).isThrownBy(() -> check(application, true))
                    .withMessage("Ringlock counter runs on local, the backend this application was processed ahead of "
                            + "time (AOT) with, but its properties now choose redis")
                    .satisfies(ex -> {
                        FailureAnalysis analysis = new AotBackendMismatchFailureAnalyzer().analyze(ex);
                        assertThat(analysis.getAction()).contains("process-aot", "'ringlock.counter.backend'",
                                "-Dspring.aot.enabled=true");
                    });
        });
    }

    @Test
    void theStaticRingIsTheRingsLocalBackend() {
        runner.run(context -> {
            ConfigurableApplicationContext application = context.getSourceApplicationContext();
            TestPropertyValues.of("ringlock.ring.backend=zookeeper").applyTo(application);
            assertThatExceptionOfType(AotBackendMismatchException.class).isThrownBy(() -> check(application, true))
                    .withMessageStartingWith("Ringlock ring runs on static,");
        });
    }

    @Test
    void withoutAotTheConditionsDecidedAtStartUpAndNothingIsChecked() {
        runner.run(context -> {
            ConfigurableApplicationContext application = context.getSourceApplicationContext();
            TestPropertyValues.of("ringlock.lock.backend=redis").applyTo(application);
            assertThatNoException().isThrownBy(() -> check(application, false));
        });
    }

    @Test
    void theCheckIsPartOfTheAutoConfiguration() {
        runner.run(context -> assertThat(context).hasSingleBean(AotBackendCheck.class));
    }

    private static void check(ConfigurableApplicationContext context, boolean aotGenerated) {
        new AotBackendCheck(aotGenerated, context.getEnvironment(), context.getBeanFactory()).afterSingletonsInstantiated();
    }
}
