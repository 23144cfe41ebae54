package dev.ringlock.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.AbstractKilledPermitHolderProcessTests;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis permit holder killed with {@code kill -9}: its owner id stays in the key's sorted set of holders, scored by
 * the end of its lease in the server's milliseconds, until that lease ends. The waiter's fencing token is floored by
 * the server's {@code TIME} in microseconds when it got in, so a token not below the dead holder's lease end shows
 * that the waiter got in only after that lease had ended on the server's clock.
 */
class RedisKilledPermitHolderProcessTests
        extends AbstractKilledPermitHolderProcessTests<RedisKilledPermitHolderProcessTests.HolderEntry> {

    private static final Duration LEASE = Duration.ofSeconds(4);

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    private static final RedisKeyspace keyspace = new RedisKeyspace(PREFIX);

    private static ScheduledExecutorService scheduler;
    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate redis;
    private static RedisLockProvider provider;
    private static LockTemplate here;

    /** The dead holder's entry: its owner id and the end of its lease, in the server's milliseconds. */
    record HolderEntry(String owner, long leaseEndMillis) {
    }

    @BeforeAll
    static void startSchedulerAndClient() {
        scheduler = Executors.newScheduledThreadPool(1);
        factory = TestClients.redis(redisServer.host(), redisServer.port());
        redis = new StringRedisTemplate(factory);
        provider = new RedisLockProvider(factory, keyspace, scheduler, event -> {
        }, Duration.ofMillis(200));
        provider.afterPropertiesSet();
        here = new DefaultLockTemplate(provider, Duration.ofSeconds(30), LockLostPolicy.THROW);
    }

    @AfterAll
    static void stopSchedulerAndClient() throws Exception {
        if (provider != null) {
            provider.destroy();
        }
        if (factory != null) {
            factory.destroy();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    protected String[] holderArguments(String key) {
        return new String[] {"redis", redisServer.host() + ":" + redisServer.port(), PREFIX, key,
                Long.toString(LEASE.toMillis())};
    }

    @Override
    protected LockTemplate here() {
        return here;
    }

    @Override
    protected Duration waiterWait() {
        return LEASE.plusSeconds(15);
    }

    @Override
    protected HolderEntry assertStillRecorded(String key, long token) {
        String lockKey = keyspace.lockKey(key);
        Map<Object, Object> tokens = redis.opsForHash().entries(keyspace.tokensKey(lockKey));
        String owner = tokens.entrySet().stream().filter(entry -> entry.getValue().equals(Long.toString(token)))
                .map(entry -> (String) entry.getKey()).findFirst()
                .orElseThrow(() -> new AssertionError("no holder of '" + key + "' with token " + token + " in " + tokens));
        Double score = redis.opsForZSet().score(keyspace.holdersKey(lockKey), owner);
        assertThat(score).as("the dead holder's lease end in %s", keyspace.holdersKey(lockKey)).isNotNull();
        long leaseEnd = score.longValue();
        assertThat(leaseEnd).as("the dead holder's lease end, against the server's clock").isGreaterThan(serverMillis());
        return new HolderEntry(owner, leaseEnd);
    }

    @Override
    protected LockHandle assertEntersOnlyAfterTheEnd(String key, HolderEntry dead, CompletableFuture<LockHandle> waiter)
            throws Exception {
        LockHandle third = entered(waiter, waiterWait());
        assertThat(third.fencingToken()).as("the waiter's token (server microseconds when it got in), against the "
                + "dead holder's lease end").isGreaterThanOrEqualTo(dead.leaseEndMillis() * 1000);
        String lockKey = keyspace.lockKey(key);
        assertThat(redis.opsForZSet().score(keyspace.holdersKey(lockKey), dead.owner()))
                .as("the dead holder's entry once the waiter got in").isNull();
        return third;
    }

    private static long serverMillis() {
        Long millis = redis.execute((RedisCallback<Long>) connection -> connection.serverCommands().time());
        assertThat(millis).isNotNull();
        return millis;
    }
}
