package dev.ringlock.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockKeyEvaluationException;
import dev.ringlock.lock.LockTemplate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and hostile lock keys and counter names (see {@link HostileInputs}) against both backends, through
 * {@code LockTemplate}, {@code @DistributedLock} keys whose SpEL returns the hostile string, and
 * {@code CounterTemplate}. The only failure ever is the documented {@link IllegalArgumentException}, for exactly the
 * inputs the README calls invalid (blank, over 1,024 characters, unpaired surrogates); every other input locks,
 * unlocks and counts, on a counter of its own (a fresh name's first increment gives 1: no two names share a key);
 * and afterwards every Redis key and every znode is under the configured prefix, and the canaries outside it
 * are untouched.
 */
class HostileInputTests extends AbstractAutoConfigurationTests {

    /** Random inputs per backend, beside the fixed ones; bounded so the class runs in seconds. */
    private static final int RANDOM_INPUTS = 80;

    static {
        // the in-process ZooKeeper server need not fsync each of the thousands of writes (as the failover tests)
        System.setProperty("zookeeper.forceSync", "no");
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, LockAutoConfiguration.class, CounterAutoConfiguration.class,
                    DataRedisAutoConfiguration.class, AopAutoConfiguration.class))
            .withBean(KeyedService.class)
            .withPropertyValues("ringlock.ring.enabled=false");

    @Test
    void redisRefusesOnlyTheDocumentedInputsAndKeepsEveryKeyUnderThePrefix() {
        runner.withPropertyValues(redisProperties()).withPropertyValues("ringlock.backend=redis",
                "ringlock.key-prefix=hostile-redis").run(context -> {
            RedisConnectionFactory factory = context.getBean(RedisConnectionFactory.class);
            try (RedisConnection connection = factory.getConnection()) {
                byte[] canary = bytes("canary-outside-prefix");
                connection.stringCommands().set(canary, bytes("alive"));

                exercise(context);

                List<String> outside = new ArrayList<>();
                try (Cursor<byte[]> keys = connection.keyCommands().scan(ScanOptions.scanOptions().count(1000).build())) {
                    keys.forEachRemaining(key -> {
                        String name = new String(key, StandardCharsets.UTF_8);
                        if (!name.startsWith("hostile-redis:") && !name.equals("canary-outside-prefix")
                                && !name.startsWith("hostile-zookeeper")) {
                            outside.add(HostileInputs.describe(name));
                        }
                    });
                }
                assertThat(outside).as("Redis keys outside the prefix").isEmpty();
                assertThat(connection.stringCommands().get(canary)).as("canary").isEqualTo(bytes("alive"));
            }
        });
    }

    @Test
    void zookeeperRefusesOnlyTheDocumentedInputsAndKeepsEveryZnodeUnderThePrefix() {
        runner.withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(),
                "ringlock.key-prefix=hostile-zookeeper").run(context -> {
            CuratorFramework client = context.getBean(CuratorFramework.class);
            client.create().orSetData().forPath("/canary-outside-prefix", bytes("alive"));

            exercise(context);

            List<String> outside = new ArrayList<>();
            walk(client, "/", path -> {
                boolean inside = path.equals("/hostile-zookeeper") || path.startsWith("/hostile-zookeeper/");
                boolean known = path.equals("/") || path.equals("/canary-outside-prefix") || path.equals("/zookeeper")
                        || path.startsWith("/zookeeper/");
                if (!inside && !known) {
                    outside.add(HostileInputs.describe(path));
                }
                return path.equals("/") || inside;
            });
            assertThat(outside).as("znodes outside the prefix").isEmpty();
            assertThat(client.getData().forPath("/canary-outside-prefix")).as("canary").isEqualTo(bytes("alive"));
            assertThat(client.getChildren().forPath("/zookeeper")).as("ZooKeeper's own nodes")
                    .containsExactlyInAnyOrder("config", "quota");
        });
    }

    private static void exercise(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        LockTemplate locks = context.getBean(LockTemplate.class);
        CounterTemplate counters = context.getBean(CounterTemplate.class);
        KeyedService service = context.getBean(KeyedService.class);
        long seed = HostileInputs.seed();
        SoftAssertions softly = new SoftAssertions();
        int valid = 0;
        for (String input : HostileInputs.inputs(seed, RANDOM_INPUTS)) {
            String described = HostileInputs.describe(input) + " (seed " + seed + ")";
            boolean documentedValid = documentedValid(input);
            valid += documentedValid ? 1 : 0;
            softly.check(() -> checkLockTemplate(locks, input, documentedValid, described));
            softly.check(() -> checkAnnotated(service::lockedOn, input, input, described));
            softly.check(() -> checkAnnotated(service::lockedOnOrder, input, "order:" + input, described));
            softly.check(() -> checkCounter(counters, input, documentedValid, described));
        }
        softly.assertAll();
        assertThat(valid).as("valid inputs tried").isGreaterThan(100);
    }

    /** What the README calls a valid key or name. */
    private static boolean documentedValid(String input) {
        return !input.isBlank() && input.length() <= 1024 && wellFormed(input);
    }

    private static boolean wellFormed(String input) {
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < input.length() && Character.isLowSurrogate(input.charAt(i + 1))) {
                i++;
            }
            else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void checkLockTemplate(LockTemplate locks, String key, boolean valid, String described) {
        if (valid) {
            try (LockHandle handle = locks.acquire(key, Duration.ofSeconds(5))) {
                assertThat(handle.key()).as("key of the lock on %s", described).isEqualTo(key);
                assertThat(handle.isValid()).as("lock on %s", described).isTrue();
            }
            // released: the same key can be taken again at once
            assertThat(locks.tryAcquire(key, Duration.ZERO)).as("lock on %s after release", described)
                    .hasValueSatisfying(LockHandle::close);
        }
        else {
            assertThatIllegalArgument(() -> locks.acquire(key, Duration.ofSeconds(5)), "'key'", described);
        }
    }

    private static void checkAnnotated(Function<String, String> method, String argument, String key, String described) {
        if (documentedValid(key)) {
            assertThat(method.apply(argument)).as("locked key for %s", described).isEqualTo(key);
        }
        else {
            Throwable thrown = catchFailure(() -> method.apply(argument));
            assertThat(thrown).as("annotated lock on %s", described).isInstanceOf(LockKeyEvaluationException.class)
                    .hasMessageContaining("KeyedService.");
        }
    }

    private static void checkCounter(CounterTemplate counters, String name, boolean valid, String described) {
        if (valid) {
            // every name is fresh: a first increment of 2 would mean two names share one counter
            assertThat(counters.incrementAndGet(name)).as("first increment of %s", described).isEqualTo(1);
            assertThat(counters.get(name)).as("counter %s", described).isEqualTo(1);
        }
        else {
            assertThatIllegalArgument(() -> counters.incrementAndGet(name), "'name'", described);
            assertThatIllegalArgument(() -> counters.get(name), "'name'", described);
        }
    }

    private static void assertThatIllegalArgument(Supplier<?> call, String naming, String described) {
        Throwable thrown = catchFailure(call);
        assertThat(thrown).as("failure for %s", described).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(naming);
    }

    private static Throwable catchFailure(Supplier<?> call) {
        try {
            if (call.get() instanceof LockHandle wronglyAcquired) {
                wronglyAcquired.close(); // or it would block the input it aliases
            }
            return null;
        }
        catch (RuntimeException ex) {
            return ex;
        }
    }

    /** Walks the tree depth-first; {@code visit} says whether to descend below a node. */
    private static void walk(CuratorFramework client, String path, java.util.function.Predicate<String> visit)
            throws Exception {
        if (!visit.test(path)) {
            return;
        }
        for (String child : client.getChildren().forPath(path)) {
            walk(client, ZKPaths.makePath(path, child), visit);
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Lock keys from SpEL that returns the argument as it is, or inside a literal prefix. */
    static class KeyedService {

        @DistributedLock(key = "#key", waitTime = "5s")
        public String lockedOn(String key) {
            return LockContext.current().orElseThrow().key();
        }

        @DistributedLock(key = "'order:' + #key", waitTime = "5s")
        public String lockedOnOrder(String key) {
            return LockContext.current().orElseThrow().key();
        }
    }
}
