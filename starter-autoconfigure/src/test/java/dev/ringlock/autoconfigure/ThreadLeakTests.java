package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.counter.Sequence;
import dev.ringlock.leader.LeaderElection;
import dev.ringlock.leader.LeaderOnly;
import dev.ringlock.leader.Leadership;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.ring.HashRingRouter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application that used locks (held past a renewal, and waited for), counters, a prefetching sequence and a
 * live ring, on each backend, leaves no thread running once its context is closed: every thread that started
 * while the context lived has ended, apart from the JVM-wide threads named in {@link #JVM_WIDE}.
 */
@Tag("fault")
class ThreadLeakTests extends AbstractAutoConfigurationTests {

    /**
     * Threads that belong to the JVM or to a library as a whole, not to one application context, and that may
     * start on the first use of a feature and outlive it by design.
     */
    private static final List<String> JVM_WIDE = List.of(
            // the JDK's common fork-join pool: shared by the whole JVM, workers idle out after 60 s
            "ForkJoinPool.commonPool-worker-",
            // the JDK's waiter for child processes (the test's redis-server)
            "process reaper",
            // Netty's JVM-wide executor and cleaner (static singletons, shared by every Netty client in the JVM);
            // the executor stops by itself a second after its last task
            "globalEventExecutor-", "ObjectCleanerThread",
            // Reactor's shared Schedulers.parallel(): one thread per core at most, reused by every Reactor user in the
            // JVM and kept until Schedulers.shutdownNow(), which a library must not call; the timeouts of the Redis
            // ring heartbeat's reactive calls run there
            "parallel-",
            // the in-process ZooKeeper test server's worker pool, whose threads start on demand as clients connect:
            // the server's, not the application's
            "NIOWorkerThread-");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, LockAutoConfiguration.class, CounterAutoConfiguration.class,
                    RingAutoConfiguration.class, DataRedisAutoConfiguration.class))
            .withPropertyValues("ringlock.key-prefix=thread-leaks", "ringlock.lock.lease-time=900ms",
                    "ringlock.ring.self-id=leak-member", "ringlock.ring.member-timeout=900ms",
                    "ringlock.counter.prefetch=true");

    /** Leader election alone, with a role. */
    private final ApplicationContextRunner leader = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, LeaderAutoConfiguration.class,
                    DataRedisAutoConfiguration.class))
            .withPropertyValues("ringlock.key-prefix=thread-leaks", "ringlock.leader.lease-time=900ms",
                    "ringlock.leader.member-id=leak-member")
            .withUserConfiguration(LeakRole.class);

    @Test
    void zookeeperLeavesNoThreadBehind() {
        assertNoThreadOutlives(runner.withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect()));
    }

    @Test
    void redisLeavesNoThreadBehind() {
        assertNoThreadOutlives(runner.withPropertyValues("ringlock.backend=redis").withPropertyValues(redisProperties()));
    }

    @Test
    void localLeavesNoThreadBehind() {
        assertNoThreadOutlives(runner.withPropertyValues("ringlock.backend=local"));
    }

    @Test
    void leaderElectionAndItsRolesOnRedisLeaveNoThreadBehind() {
        assertNoThreadOutlives(leader.withPropertyValues("ringlock.backend=redis").withPropertyValues(redisProperties()),
                ThreadLeakTests::lead);
    }

    @Test
    void leaderElectionAndItsRolesOnZooKeeperLeaveNoThreadBehind() {
        assertNoThreadOutlives(leader.withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect()),
                ThreadLeakTests::lead);
    }

    @Test
    void leaderElectionAndItsRolesOnLocalLeaveNoThreadBehind() {
        assertNoThreadOutlives(leader.withPropertyValues("ringlock.backend=local"), ThreadLeakTests::lead);
    }

    private static void assertNoThreadOutlives(ApplicationContextRunner runner) {
        assertNoThreadOutlives(runner, context -> useEverything(context.getBean(LockTemplate.class),
                context.getBean(CounterTemplate.class), context.getBean(HashRingRouter.class)));
    }

    private static void assertNoThreadOutlives(ApplicationContextRunner runner,
            Consumer<AssertableApplicationContext> use) {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            use.accept(context);
            assertThat(startedSince(before)).as("threads of the running context").isNotEmpty();
        });
        // polled on this thread: Awaitility's own polling thread would count as one started since
        await().pollInSameThread().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(startedSince(before))
                .as("threads still running after the context was closed").isEmpty());
    }

    private static void useEverything(LockTemplate locks, CounterTemplate counters, HashRingRouter router) {
        try (LockHandle held = locks.acquire("leak", Duration.ofSeconds(5))) {
            // held past its 900 ms lease: only the watchdog (Redis) or session checks (ZooKeeper) keep it valid
            await().pollInSameThread().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).until(held::isValid);
            // a waiter: a pub/sub subscription on Redis, a watch on ZooKeeper
            Optional<LockHandle> waiter = locks.tryAcquire("leak", Duration.ofMillis(300));
            assertThat(waiter).isEmpty();
        }
        assertThat(counters.incrementAndGet("leak-count")).isPositive();
        Sequence ids = counters.sequence("leak-ids", 4);
        for (int i = 0; i < 12; i++) {
            ids.next(); // passes half a block three times: background reservations on the prefetch thread
        }
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> router.snapshot().nodes().contains("leak-member"));
        assertThat(router.route("tenant-1")).isEqualTo("leak-member");
    }

    /** Leads past the 900 ms lease (renewed on the scheduler) with the role running on the roles' thread. */
    private static void lead(AssertableApplicationContext context) {
        Leadership leadership = context.getBean(LeaderElection.class).join("leak");
        LeakRole role = context.getBean(LeakRole.class);
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(role::isRunning);
        await().pollInSameThread().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).until(leadership::isLeader);
    }

    @LeaderOnly(group = "leak")
    static class LeakRole implements SmartLifecycle {

        private volatile boolean running;

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }

    private static Set<String> startedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> JVM_WIDE.stream().noneMatch(name::startsWith))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
