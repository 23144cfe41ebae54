package dev.ringlock.redis;

import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.contract.AbstractLockKindsInterceptorTests;
import dev.ringlock.testsupport.contract.LockProviderFixture;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * READ, permit and several-key locks through the {@code @DistributedLock} interceptor (plain and reactive methods)
 * on {@link RedisLockProvider} against a real {@code redis-server}.
 */
class RedisLockKindsInterceptorTests extends AbstractLockKindsInterceptorTests {

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
}
