package dev.ringlock.redis;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.FencedRedisResource;
import dev.ringlock.FrozenHolderMain;
import dev.ringlock.FrozenHolderProcess;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lock holder in another JVM ({@link FrozenHolderMain}, on Redis) frozen with SIGSTOP for longer than its lease and
 * then thawed with SIGCONT: the lock has meanwhile gone to a holder in this JVM, and the thawed holder must
 * know at once that its lock is no longer valid, before its watchdog has run; the write it makes anyway is
 * refused by the resource, which checks fencing tokens.
 */
@Tag("fault")
class RedisFrozenHolderProcessTests {

    private static final String PREFIX = "ringlock-frozen";
    private static final Duration LEASE = Duration.ofSeconds(1);

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    private static ScheduledExecutorService scheduler;
    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate redis;

    @BeforeAll
    static void startSchedulerAndClient() {
        scheduler = Executors.newScheduledThreadPool(1);
        factory = TestClients.redis(redisServer.host(), redisServer.port());
        redis = new StringRedisTemplate(factory);
    }

    @AfterAll
    static void stopSchedulerAndClient() {
        if (factory != null) {
            factory.destroy();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Test
    void thawedHolderKnowsAtOnceThatItsLockIsInvalidAndItsWriteIsRefused() throws Exception {
        String key = "frozen-" + UUID.randomUUID();
        String resource = "resource-" + UUID.randomUUID();
        RedisKeyspace keyspace = new RedisKeyspace(PREFIX);
        String redisAddress = redisServer.host() + ":" + redisServer.port();
        RedisLockProvider provider = new RedisLockProvider(factory, keyspace, scheduler, event -> {
        }, Duration.ofMillis(200));
        provider.afterPropertiesSet();
        try (FrozenHolderProcess holder = FrozenHolderProcess.start("redis", redisAddress, PREFIX, key,
                        Long.toString(LEASE.toMillis()), redisAddress, resource)) {
            DefaultLockTemplate here = new DefaultLockTemplate(provider, Duration.ofSeconds(30), LockLostPolicy.THROW);
            long oldToken = Long.parseLong(holder.send("acquire").substring("acquired ".length()));
            assertThat(holder.send("write")).isEqualTo("valid=true lost=0 write=accepted");

            holder.signal("STOP");
            // the frozen holder cannot renew: the server lets its lease run out, and the lock goes to us
            await().atMost(LEASE.multipliedBy(5)).until(() -> !redis.hasKey(keyspace.lockKey(key)));
            try (LockHandle newer = here.acquire(key, Duration.ofSeconds(10))) {
                assertThat(newer.fencingToken()).isGreaterThan(oldToken);
                assertThat(FencedRedisResource.write(redis, resource, newer.fencingToken(), "written here")).isTrue();

                holder.sendWithoutAnswer("write"); // waits in the pipe, read the moment the holder thaws
                holder.signal("CONT");
                String thawed = holder.answer();
                // invalid by its own clock alone: no renewal had told it yet (lost=0 in nearly every run; a
                // watchdog that raced ahead would make it 1, which is no less correct)
                assertThat(thawed).startsWith("valid=false").endsWith("write=rejected");
                assertThat(FencedRedisResource.value(redis, resource)).isEqualTo("written here");

                // its watchdog then finds the lock gone and reports the loss
                await().atMost(Duration.ofSeconds(10)).until(() -> holder.send("status").equals("valid=false lost=1"));
                assertThat(holder.send("exit")).isEqualTo("bye");
                assertThat(holder.awaitExit()).isTrue();
                assertThat(newer.isValid()).as("the thawed holder's release left our lock alone").isTrue();
            }
        }
        finally {
            provider.destroy();
        }
    }
}
