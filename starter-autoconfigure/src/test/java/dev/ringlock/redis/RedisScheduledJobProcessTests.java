package dev.ringlock.redis;

import dev.ringlock.ScheduledJobRuns;
import dev.ringlock.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three processes run the same {@code @Scheduled} job with {@code holdAtLeast} on Redis locks: one run per hold in
 * total, never two closer than the hold (see {@link ScheduledJobRuns}); the lock server is the log's too.
 */
class RedisScheduledJobProcessTests {

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @Test
    void threeInstancesRunTheScheduledJobOncePerHold() throws Exception {
        ScheduledJobRuns.runAndCheck("redis", redisServer.host() + ":" + redisServer.port(), redisServer.host(),
                redisServer.port());
    }
}
