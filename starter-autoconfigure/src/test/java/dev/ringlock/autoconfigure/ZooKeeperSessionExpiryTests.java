package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostEvent;
import dev.ringlock.lock.LockLostException;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.ZooKeeperServerExtension;
import dev.ringlock.testsupport.ZooKeeperSessions;
import dev.ringlock.zookeeper.ZooKeeperLockProvider;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The ZooKeeper session of a lock holder expires on the server while its {@code @DistributedLock} method runs:
 * the application gets a {@link LockLostEvent} at once, another instance takes the lock with a larger fencing
 * token, the method ends in {@link LockLostException}, and the holder's client goes on with a new session.
 */
@Tag("fault")
class ZooKeeperSessionExpiryTests {

    private static final Duration LONG_WAIT = Duration.ofSeconds(30);
    private static final String PREFIX = "expiry";

    @RegisterExtension
    static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, LockAutoConfiguration.class, AopAutoConfiguration.class))
            .withUserConfiguration(Holder.class);

    @Test
    void anExpiredSessionEndsTheAnnotatedMethodInLockLostAndTheNextHolderGetsALargerToken() {
        // taking a session over needs the server's own address, which the in-process server gives
        assumeThat(zookeeper.server().supportsFaults()).isTrue();
        runner.withPropertyValues("ringlock.backend=zookeeper", "ringlock.key-prefix=" + PREFIX,
                "ringlock.zookeeper.connect-string=" + zookeeper.connectString(),
                "ringlock.zookeeper.session-timeout=20s").run(context -> {
            Holder holder = context.getBean(Holder.class);
            Holder.Service service = context.getBean(Holder.Service.class);
            ExecutorService caller = Executors.newSingleThreadExecutor();
            ScheduledExecutorService otherScheduler = Executors.newSingleThreadScheduledExecutor();
            CuratorFramework otherInstance = TestClients.zookeeper(zookeeper.connectString(), 20_000,
                    new ExponentialBackoffRetry(100, 5));
            try {
                Future<String> work = caller.submit(() -> service.report("2026-11"));
                long token = holder.token.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);

                ZooKeeperSessions.expire(context.getBean(CuratorFramework.class), zookeeper.connectString());

                await().atMost(LONG_WAIT).untilAsserted(() -> assertThat(holder.lost)
                        .singleElement().satisfies(event -> {
                            assertThat(event.key()).isEqualTo("report:2026-11");
                            assertThat(event.fencingToken()).isEqualTo(token);
                            assertThat(event.backend()).isEqualTo("zookeeper");
                        }));

                // the lock node went with the session: another instance gets the lock, with a larger token
                ZooKeeperLockProvider other = new ZooKeeperLockProvider(otherInstance, new ZooKeeperPaths(PREFIX),
                        otherScheduler, event -> { });
                Optional<LockHandle> next = other.tryAcquire(new LockRequest("report:2026-11", LONG_WAIT, LONG_WAIT));
                assertThat(next).as("the lock, taken by the next holder while the old one still runs").isPresent();
                assertThat(next.get().fencingToken()).isGreaterThan(token);
                next.get().close();

                holder.finish.countDown();
                Throwable thrown = catchThrowable(() -> work.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS));
                assertThat(thrown).isInstanceOf(ExecutionException.class).cause()
                        .isInstanceOfSatisfying(LockLostException.class, ex -> {
                            assertThat(ex.key()).isEqualTo("report:2026-11");
                            assertThat(ex.getMessage()).contains("report:2026-11");
                        });

                // the holder's client goes on with a new session: the application can lock again
                try (LockHandle again = context.getBean(LockTemplate.class).acquire("report:2026-11", LONG_WAIT)) {
                    assertThat(again.isValid()).isTrue();
                    assertThat(again.fencingToken()).isGreaterThan(next.get().fencingToken());
                }
            }
            finally {
                holder.finish.countDown();
                caller.shutdownNow();
                otherScheduler.shutdownNow();
                otherInstance.close();
            }
        });
    }

    /** A service whose locked method waits, holding the lock, until the test lets it finish. */
    @Configuration(proxyBeanMethods = false)
    static class Holder {

        final CompletableFuture<Long> token = new CompletableFuture<>();
        final CountDownLatch finish = new CountDownLatch(1);
        final List<LockLostEvent> lost = new CopyOnWriteArrayList<>();

        @Bean
        Holder.Service holderService() {
            return new Service(this);
        }

        @EventListener
        void onLost(LockLostEvent event) {
            lost.add(event);
        }

        static class Service {

            private final Holder holder;

            Service(Holder holder) {
                this.holder = holder;
            }

            @DistributedLock(key = "'report:' + #month", waitTime = "10s")
            public String report(String month) throws InterruptedException {
                holder.token.complete(LockContext.current().orElseThrow().fencingToken());
                holder.finish.await();
                return "report " + month;
            }
        }
    }
}
