package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.RespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Locks, counters and the ring as a Redis ACL user ({@code spring.data.redis.username}/{@code password})
 * that may touch only the keys and channels under the key prefix, and run only the commands Ringlock needs
 * (the rule in docs/security.md). Because the server enforces the prefix, every test here also
 * proves that our keys and channels stay inside it, hostile keys included. The default user is off.
 */
class RedisAclTests extends AbstractRedisTopologyTests {

    static final String PREFIX = "acl-test";

    /** The ACL rule of docs/security.md, for the prefix {@value #PREFIX}. */
    static final List<String> RULE = List.of("on", ">s3cret", "resetchannels", "~" + PREFIX + ":*", "&" + PREFIX + ":*",
            "-@all", "+hello", "+auth", "+ping", "+evalsha", "+eval", "+get", "+set", "+del", "+exists", "+incrby", "+pttl",
            "+pexpire", "+time", "+publish", "+subscribe", "+unsubscribe", "+zadd", "+zrange", "+zremrangebyscore", "+zrem",
            "+zscore", "+zcard", "+zrangebyscore", "+hget", "+hset", "+hdel");

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension(
            () -> RedisServerProcess.start(serverArguments()));

    /** The default user off, and the application's user with the README's rule. */
    private static String[] serverArguments() {
        List<String> args = new ArrayList<>(List.of("--user", "default", "off", "--user", "ringlock-app"));
        args.addAll(RULE);
        return args.toArray(String[]::new);
    }

    @Override
    protected String[] connectionProperties() {
        return new String[] {"spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                "spring.data.redis.username=ringlock-app", "spring.data.redis.password=s3cret"};
    }

    @Override
    protected String keyPrefix() {
        return PREFIX;
    }

    @Test
    void theServerRefusesKeysOutsideThePrefix() {
        try (RespClient client = RespClient.connect(redis.host(), redis.port())) {
            assertThat(client.call("AUTH", "ringlock-app", "s3cret")).isEqualTo("OK");
            assertThat(client.call("SET", PREFIX + ":inside", "1")).isEqualTo("OK");
            assertThat(errorOf(() -> client.call("SET", "elsewhere:outside", "1"))).startsWith("NOPERM");
            assertThat(errorOf(() -> client.call("PUBLISH", "elsewhere:channel", "1"))).startsWith("NOPERM");
            assertThat(errorOf(() -> client.call("GET", "elsewhere:outside"))).startsWith("NOPERM");
            assertThat(errorOf(() -> client.call("FLUSHALL"))).startsWith("NOPERM");
        }
    }

    @Test
    void hostileKeysAndCounterNamesStayInsideThePrefix() {
        List<String> hostile = List.of("../../etc/passwd", "}{", "{other}", "*", "?", "[a-z]", "a\\nb", "line\nbreak",
                "' or 1=1 --", "redis.call('flushall')", "#{T(java.lang.Runtime).getRuntime()}", "%7B", "%",
                "ключ", "🔑", "x".repeat(1024), ":", "acl-test", "/");
        instance().run(context -> {
            LockTemplate locks = context.getBean(LockTemplate.class);
            CounterTemplate counters = context.getBean(CounterTemplate.class);
            for (String key : hostile) {
                try (LockHandle handle = locks.acquire(key, Duration.ofSeconds(5))) {
                    assertThat(handle.isValid()).as("lock '%s'", key).isTrue();
                }
                try (LockHandle handle = locks.tryAcquireRead(key, Duration.ofSeconds(5)).orElseThrow()) {
                    assertThat(handle.isValid()).as("read lock '%s'", key).isTrue();
                }
                try (LockHandle handle = locks.tryAcquirePermit(key, 3, Duration.ofSeconds(5)).orElseThrow()) {
                    assertThat(handle.isValid()).as("permit lock '%s'", key).isTrue();
                }
                counters.delete(key);
                assertThat(counters.incrementAndGet(key)).as("counter '%s'", key).isEqualTo(1);
                assertThat(counters.compareAndSet(key, 1, 5)).isTrue();
                counters.delete(key);
            }
        });
    }

    @Test
    void aWrongPasswordFailsStartUpNamingThePasswordProperty() {
        instance().withPropertyValues("spring.data.redis.password=wrong").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            FailureAnalysis analysis = new BackendAuthenticationFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).startsWith("Ringlock could not log in to redis at " + redis.host() + ":"
                    + redis.port() + ": WRONGPASS");
            assertThat(analysis.getAction()).contains("'spring.data.redis.password'", "'spring.data.redis.username'");
        });
    }

    private static String errorOf(Runnable command) {
        try {
            command.run();
            return "no error";
        }
        catch (RespClient.RespError error) {
            return error.getMessage();
        }
    }
}
