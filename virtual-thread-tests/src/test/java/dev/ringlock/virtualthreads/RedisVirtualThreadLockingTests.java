package dev.ringlock.virtualthreads;

import dev.ringlock.testsupport.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AbstractVirtualThreadLockingTests} on a real Redis server. */
class RedisVirtualThreadLockingTests extends AbstractVirtualThreadLockingTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Override
    protected String[] backendProperties() {
        String[] server = redis.springProperties();
        return new String[] {"ringlock.backend=redis", server[0], server[1]};
    }
}
