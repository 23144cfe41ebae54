package dev.ringlock.redis;

import java.time.Duration;

import dev.ringlock.AbstractLeaderProcessTests;
import dev.ringlock.leader.LeadershipRevokedEvent;
import dev.ringlock.testsupport.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis leader election across real JVMs: a leader killed, and one frozen past its lease, whose deadline check
 * revokes it with {@code LEASE_LOST} once it thaws.
 */
class RedisLeaderProcessTests extends AbstractLeaderProcessTests {

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @Override
    protected String backend() {
        return "redis";
    }

    @Override
    protected String address() {
        return redisServer.host() + ":" + redisServer.port();
    }

    @Override
    protected Duration leaseOrSession() {
        return Duration.ofMillis(1500);
    }

    @Override
    protected LeadershipRevokedEvent.Reason frozenPastItsTermReason() {
        return LeadershipRevokedEvent.Reason.LEASE_LOST;
    }
}
