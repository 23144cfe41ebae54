package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.counter.Sequence;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.ring.HashRingRouter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every way of reaching Redis must give, through Spring Boot's own {@code spring.data.redis.*}
 * properties and our auto-configuration: locks (mutual exclusion, increasing fencing tokens, the watchdog,
 * release messages that wake a waiter of another instance), counters and sequences, and ring membership.
 * One subclass per set-up (Sentinel, Cluster, ACL user, TLS) starts its servers once and names the
 * properties that reach them. Each "instance" is an application context of its own, with its own
 * connections.
 */
abstract class AbstractRedisTopologyTests {

    /** Long enough that only a release message, not a poll or the lease's end, can wake a waiter in time. */
    private static final String NO_POLL_IN_TIME = "ringlock.lock.poll-interval=1m";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class, LockAutoConfiguration.class,
                    CounterAutoConfiguration.class, RingAutoConfiguration.class, DataRedisAutoConfiguration.class,
                    SslAutoConfiguration.class))
            .withPropertyValues("ringlock.backend=redis", "ringlock.ring.enabled=false",
                    // a command that cannot be answered fails in seconds instead of Lettuce's default minute
                    "spring.data.redis.timeout=5s");

    /** The {@code spring.data.redis.*} properties that reach this set-up. */
    protected abstract String[] connectionProperties();

    /** The key prefix of this set-up's instances; the ACL set-up allows only its own. */
    protected abstract String keyPrefix();

    /** An instance of the application on this set-up. */
    protected ApplicationContextRunner instance() {
        return runner.withPropertyValues(connectionProperties()).withPropertyValues("ringlock.key-prefix=" + keyPrefix());
    }

    @Test
    void lockExcludesOtherInstancesAndTokensIncrease() {
        instance().run(first -> instance().run(second -> {
            assertThat(first).hasNotFailed();
            assertThat(second).hasNotFailed();
            LockTemplate locksOfFirst = first.getBean(LockTemplate.class);
            LockTemplate locksOfSecond = second.getBean(LockTemplate.class);
            long firstToken;
            try (LockHandle held = locksOfFirst.acquire("exclusive", Duration.ofSeconds(5))) {
                assertThat(held.isValid()).isTrue();
                firstToken = held.fencingToken();
                assertThat(locksOfSecond.tryAcquire("exclusive", Duration.ZERO)).isEmpty();
            }
            try (LockHandle next = locksOfSecond.acquire("exclusive", Duration.ofSeconds(5))) {
                assertThat(next.fencingToken()).isGreaterThan(firstToken);
            }
        }));
    }

    @Test
    void watchdogKeepsALeaseAliveWhileHeld() {
        // a lease of 2 s (renewed every 667 ms) leaves room for a loaded machine; 1 s proved too tight there
        instance().withPropertyValues("ringlock.lock.lease-time=2s").run(first -> instance().run(second -> {
            try (LockHandle held = first.getBean(LockTemplate.class).acquire("renewed", Duration.ofSeconds(5))) {
                // two and a half leases: only renewals keep it valid this long
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).until(held::isValid);
                assertThat(second.getBean(LockTemplate.class).tryAcquire("renewed", Duration.ZERO)).isEmpty();
            }
        }));
    }

    @Test
    void releaseMessageWakesAWaiterOfAnotherInstance() {
        releaseMessagesWakeWaitersOfAnotherInstance(List.of("signalled"));
    }

    /**
     * For each key in turn: one instance holds the lock, another waits for it, and the holder's release must
     * wake the waiter. Poll interval and lease are a minute and the wait 20 s, so only the release message can
     * hand the waiter the lock in time.
     */
    protected void releaseMessagesWakeWaitersOfAnotherInstance(List<String> keys) {
        ApplicationContextRunner longLeases = instance().withPropertyValues(NO_POLL_IN_TIME, "ringlock.lock.lease-time=1m");
        longLeases.run(holder -> longLeases.run(waiter -> {
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                for (String key : keys) {
                    LockHandle held = holder.getBean(LockTemplate.class).acquire(key, Duration.ofSeconds(5));
                    Future<Optional<LockHandle>> waiting = executor.submit(
                            () -> waiter.getBean(LockTemplate.class).tryAcquire(key, Duration.ofSeconds(20)));
                    // the waiter has tried once, and listens, when its waiting flag is on the server
                    StringRedisTemplate redis = waiter.getBean(StringRedisTemplate.class);
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> redis.hasKey(keyPrefix() + ":lock:{" + key + "}:waiting"));
                    held.close();
                    Optional<LockHandle> acquired = waiting.get(30, TimeUnit.SECONDS);
                    assertThat(acquired).as("'%s' handed over by the release message, well before a poll or the lease's end",
                            key).isPresent();
                    acquired.get().close();
                }
            }
            finally {
                executor.shutdownNow();
            }
        }));
    }

    @Test
    void countersCountEveryIncrementOnceAcrossInstances() {
        instance().run(first -> instance().run(second -> {
            List<CounterTemplate> instances = List.of(first.getBean(CounterTemplate.class),
                    second.getBean(CounterTemplate.class));
            instances.get(0).delete("visits");
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            ExecutorService executor = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    CounterTemplate counters = instances.get(t % 2);
                    work.add(executor.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            assertThat(seen.add(counters.incrementAndGet("visits"))).isTrue();
                        }
                    }));
                }
                for (Future<?> each : work) {
                    each.get(30, TimeUnit.SECONDS);
                }
            }
            finally {
                executor.shutdownNow();
            }
            assertThat(instances.get(1).get("visits")).isEqualTo(200);
            assertThat(seen).hasSize(200);
            assertThat(instances.get(0).compareAndSet("visits", 200, 1000)).isTrue();
            assertThat(instances.get(1).compareAndSet("visits", 200, 2000)).isFalse();
            assertThat(instances.get(1).get("visits")).isEqualTo(1000);
            instances.get(0).delete("order-number");
            Sequence ofFirst = instances.get(0).sequence("order-number", 10);
            Sequence ofSecond = instances.get(1).sequence("order-number", 10);
            Set<Long> ids = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 25; i++) {
                assertThat(ids.add(ofFirst.next())).isTrue();
                assertThat(ids.add(ofSecond.next())).isTrue();
            }
        }));
    }

    @Test
    void ringMembersOfTwoInstancesSeeEachOther() {
        ApplicationContextRunner members = instance().withPropertyValues("ringlock.ring.enabled=true",
                "ringlock.ring.membership=redis", "ringlock.ring.member-timeout=3s");
        members.withPropertyValues("ringlock.ring.self-id=member-a").run(first ->
                members.withPropertyValues("ringlock.ring.self-id=member-b").run(second -> {
                    assertThat(first).hasNotFailed();
                    assertThat(second).hasNotFailed();
                    for (AssertableApplicationContext context : List.of(first, second)) {
                        HashRingRouter router = context.getBean(HashRingRouter.class);
                        await().atMost(Duration.ofSeconds(10))
                                .until(() -> router.snapshot().nodes().equals(Set.of("member-a", "member-b")));
                    }
                    assertThat(first.getBean(HashRingRouter.class).route("tenant-42"))
                            .isEqualTo(second.getBean(HashRingRouter.class).route("tenant-42"));
                }));
    }
}
