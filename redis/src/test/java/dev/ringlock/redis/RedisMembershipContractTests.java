package dev.ringlock.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.ring.Membership;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.contract.AbstractMembershipContractTests;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The membership contract on {@link RedisMembership} against a real {@code redis-server}. Each member has
 * its own connection factory and its own scheduler, so killing one stops its heartbeats and nothing else.
 */
class RedisMembershipContractTests extends AbstractMembershipContractTests {

    private static final Duration MEMBER_TIMEOUT = Duration.ofSeconds(3);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final Map<Membership, Client> clients = new ConcurrentHashMap<>();

    private record Client(LettuceConnectionFactory factory, ScheduledExecutorService scheduler) {

        void close() {
            scheduler.shutdownNow();
            factory.destroy();
        }
    }

    @Override
    protected Membership createMembership() {
        LettuceConnectionFactory factory = TestClients.redis(redis.host(), redis.port());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        RedisMembership membership = new RedisMembership(factory, new RedisKeyspace("ringlock-test"), scheduler,
                MEMBER_TIMEOUT);
        clients.put(membership, new Client(factory, scheduler));
        return membership;
    }

    @Override
    protected void kill(Membership membership) {
        // no leave, no more heartbeats: what the others see of a process that died
        clients.get(membership).close();
    }

    @Override
    protected void release(Membership membership) {
        Client client = clients.remove(membership);
        if (client != null) {
            client.close();
        }
    }

    @Override
    protected Duration deathDetection() {
        return MEMBER_TIMEOUT;
    }
}
