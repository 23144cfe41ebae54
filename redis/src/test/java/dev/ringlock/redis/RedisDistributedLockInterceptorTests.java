package dev.ringlock.redis;

import java.time.Duration;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockLostException;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.contract.AbstractDistributedLockInterceptorTests;
import dev.ringlock.testsupport.contract.LockProviderFixture;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code @DistributedLock} interceptor on {@link RedisLockProvider} against a real {@code redis-server}:
 * the real backend its cases run on, with locks that can be lost while an annotated method runs; plus a holder
 * frozen past its lease inside an annotated method. Its fixture, {@link RedisContractClients}, is also
 * {@link RedisLockContractTests}'s.
 */
class RedisDistributedLockInterceptorTests extends AbstractDistributedLockInterceptorTests {

    @RegisterExtension
    @Order(1)
    static final RedisServerExtension redis = new RedisServerExtension();

    @RegisterExtension
    @Order(2)
    static final RedisContractClients clients = new RedisContractClients(redis);

    @Override
    protected LockProviderFixture fixture() {
        return clients;
    }

    // ----------------------------------------------------------------- Redis only

    @Test
    void annotatedMethodOfAFrozenHolderThrowsLockLostAndTheLossIsReported() {
        assumeTrue(redis.server().supportsFaults(), "server supports faults");
        RedisLockProvider holder = (RedisLockProvider) newClient();
        FrozenService service = proxy(new FrozenService(), holder);
        String key = key("frozen-annotated");

        assertThatThrownBy(() -> service.freeze(key, holder))
                .isInstanceOfSatisfying(LockLostException.class, ex -> assertThat(ex.key()).isEqualTo(key));

        // the watchdog never ran, so only the release can have found the lock gone
        assertThat(lossEvents(holder)).singleElement().satisfies(event -> assertThat(event.key()).isEqualTo(key));
        assertFree(newClient(), key);
    }

    /** Plays a holder frozen past its 600 ms lease while its annotated method runs. */
    public static class FrozenService {

        @DistributedLock(key = "#p0", waitTime = "5s", leaseTime = "600ms")
        public String freeze(String key, RedisLockProvider holder) {
            RedisLockHandle handle = (RedisLockHandle) LockContext.current().orElseThrow();
            holder.suspendWatchdogForTests();
            await().atMost(Duration.ofSeconds(5)).until(() -> !handle.isValid());
            await().atMost(Duration.ofSeconds(5)).until(() -> !clients.admin().hasKey(handle.lockKey()));
            return "thawed " + key;
        }
    }
}
