package smoke.plain;

import java.time.Duration;
import java.util.Map;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ringlock's locks on a real ZooKeeper server in a Spring Framework application context, with no Spring Boot
 * anywhere on the classpath.
 */
class PlainSpringZooKeeperTests {

    private static TestingServer zookeeper;

    private AnnotationConfigApplicationContext context;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = new TestingServer(true);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zookeeper.close();
    }

    @BeforeEach
    void startContext() {
        context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("zookeeper",
                Map.of("zookeeper.connect-string", zookeeper.getConnectString())));
        context.register(RinglockConfiguration.class);
        context.refresh();
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void springBootIsNotOnTheClasspath() {
        assertThat(ClassUtils.isPresent("org.springframework.boot.SpringApplication", null)).isFalse();
    }

    @Test
    void annotatedMethodRunsUnderItsLock() {
        SmokeService service = context.getBean(SmokeService.class);

        long first = service.fencingTokenOf("42");
        long second = service.fencingTokenOf("42");

        assertThat(AopUtils.isAopProxy(service)).isTrue();
        assertThat(first).isPositive();
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void templateAcquiresExcludesAndReleases() {
        LockTemplate template = context.getBean(LockTemplate.class);

        try (LockHandle handle = template.acquire("plain:template", Duration.ofSeconds(5))) {
            assertThat(handle.key()).isEqualTo("plain:template");
            assertThat(handle.fencingToken()).isPositive();
            assertThat(handle.isValid()).isTrue();
            assertThat(template.tryAcquire("plain:template", Duration.ZERO)).isEmpty();
        }
        try (LockHandle again = template.tryAcquire("plain:template", Duration.ZERO).orElseThrow()) {
            assertThat(again.isValid()).isTrue();
        }
    }
}
