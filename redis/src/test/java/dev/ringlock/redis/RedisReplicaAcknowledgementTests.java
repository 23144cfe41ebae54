package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.leader.Leadership;
import dev.ringlock.leader.LeadershipGrantedEvent;
import dev.ringlock.leader.LeadershipListener;
import dev.ringlock.leader.LeadershipRevokedEvent;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockMode;
import dev.ringlock.lock.LockNotAcquiredException;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.testsupport.FaultProxy;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Replica acknowledgement ({@link RedisReplicaAcknowledgement}) on a master with one replica. The replica
 * replicates through a {@link FaultProxy}, so that black-holing the proxy cuts it off while the master still counts
 * it as connected: writes then reach the master alone, as before a failover that would lose them.
 */
class RedisReplicaAcknowledgementTests {

    private static final RedisKeyspace KEYSPACE = new RedisKeyspace("ringlock-replica-ack");
    private static final Duration LEASE = Duration.ofMillis(1500);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final RedisReplicaAcknowledgement ONE_REPLICA = RedisReplicaAcknowledgement.of(1,
            Duration.ofMillis(300), false);

    private static RedisServerProcess master;
    private static FaultProxy link;
    private static RedisServerProcess replica;
    private static ScheduledExecutorService scheduler;

    private RedisLockClients clients;
    private final Queue<String> leaderLog = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startServers() {
        scheduler = Executors.newScheduledThreadPool(1);
        master = RedisServerProcess.start();
        link = FaultProxy.start(master.host(), master.port());
        replica = RedisServerProcess.start("--replicaof", link.host(), Integer.toString(link.port()));
        awaitReplicaInSync();
    }

    @AfterAll
    static void stopServers() {
        if (replica != null) {
            replica.close();
        }
        if (link != null) {
            link.close();
        }
        if (master != null) {
            master.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @BeforeEach
    void createClients() {
        clients = new RedisLockClients(KEYSPACE, scheduler, LEASE, POLL);
    }

    @AfterEach
    void healReplica() {
        clients.close();
        link.heal();
        awaitReplicaInSync();
    }

    /** Until a write of the master's is confirmed by the replica: connected again and caught up. */
    private static void awaitReplicaInSync() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (RespClient client = RespClient.connect(master.host(), master.port())) {
                client.call("SET", "ringlock-replica-ack-probe", UUID.randomUUID().toString());
                return Long.valueOf(1).equals(client.call("WAIT", "1", "200"));
            }
        });
    }

    @Test
    void anExclusiveLockIsAcquiredOnceTheReplicaHasIt() throws Exception {
        RedisLockProvider provider = clients.connect(master.host(), master.port(), ONE_REPLICA).provider();
        String key = key("exclusive");
        Optional<LockHandle> handle = provider.tryAcquire(new LockRequest(key, Duration.ZERO, LEASE));
        assertThat(handle).isPresent();
        // WAIT returned only once the replica had the write: it is there now, without waiting
        assertThat(RespClient.call(replica.host(), replica.port(), "EXISTS", KEYSPACE.lockKey(key))).isEqualTo(1L);
        handle.get().close();
    }

    @Test
    void anExclusiveLockTheReplicaDoesNotConfirmIsNotAcquiredAndNotLeftHeld() {
        assertNotAcquiredWithTheReplicaCutOff(new LockRequest(key("exclusive-cut"), Duration.ZERO, LEASE));
    }

    @Test
    void anExclusiveLockWaitingThroughTheCutIsNotAcquiredWhenItsWaitEnds() {
        assertNotAcquiredWithTheReplicaCutOff(new LockRequest(key("exclusive-wait"), Duration.ofSeconds(1), LEASE));
    }

    @Test
    void aReadLockTheReplicaDoesNotConfirmIsNotAcquiredAndNotLeftHeld() {
        assertNotAcquiredWithTheReplicaCutOff(new LockRequest(key("read-cut"), Duration.ZERO, LEASE, Duration.ZERO,
                LockMode.READ, 1));
    }

    @Test
    void aPermitTheReplicaDoesNotConfirmIsNotAcquiredAndNotLeftHeld() {
        assertNotAcquiredWithTheReplicaCutOff(new LockRequest(key("permit-cut"), Duration.ZERO, LEASE, Duration.ZERO,
                LockMode.WRITE, 3));
    }

    private void assertNotAcquiredWithTheReplicaCutOff(LockRequest request) {
        RedisLockProvider provider = clients.connect(master.host(), master.port(), ONE_REPLICA).provider();
        link.blackHole();
        assertThatThrownBy(() -> provider.tryAcquire(request)).isInstanceOf(LockNotAcquiredException.class)
                .hasRootCauseInstanceOf(RedisReplicasNotAcknowledgedException.class)
                .hasMessageContaining("0 of 1 required Redis replica(s) acknowledged");
        String lockKey = KEYSPACE.lockKey(request.key());
        // the undo is sent before the exception is thrown, on the provider's connection: it is there at once
        await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(0).equals(
                RespClient.call(master.host(), master.port(), "EXISTS", lockKey, KEYSPACE.holdersKey(lockKey))));
    }

    @Test
    void aHandOverTheReplicaDoesNotConfirmIsUndoneAndTheReleaseStillSucceeds() throws Exception {
        RedisLockProvider provider = clients.connect(master.host(), master.port(), ONE_REPLICA).provider();
        String key = key("hand-over");
        LockHandle holder = provider.tryAcquire(new LockRequest(key, Duration.ZERO, LEASE)).orElseThrow();
        CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return provider.tryAcquire(new LockRequest(key, Duration.ofSeconds(2), LEASE))
                        .<Throwable>map(handle -> new AssertionError("acquired unconfirmed: " + handle))
                        .orElseGet(() -> new AssertionError("no failure"));
            }
            catch (LockNotAcquiredException ex) {
                return ex;
            }
            catch (InterruptedException ex) {
                return ex;
            }
        });
        // the waiter queues at the local gate, offering to take a hand-over
        await().atMost(Duration.ofSeconds(5)).until(() -> provider.gatedKeys() == 1);
        link.blackHole();
        holder.close();
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isInstanceOf(LockNotAcquiredException.class)
                .hasRootCauseInstanceOf(RedisReplicasNotAcknowledgedException.class);
        String lockKey = KEYSPACE.lockKey(key);
        await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(0).equals(
                RespClient.call(master.host(), master.port(), "EXISTS", lockKey)));
    }

    @Test
    void anExclusiveLockWhoseRenewalsTheReplicaDoesNotConfirmIsLost() throws Exception {
        assertLostWhenRenewalsAreNotConfirmed(new LockRequest(key("exclusive-renew"), Duration.ZERO, LEASE));
    }

    @Test
    void aPermitWhoseRenewalsTheReplicaDoesNotConfirmIsLost() throws Exception {
        assertLostWhenRenewalsAreNotConfirmed(new LockRequest(key("permit-renew"), Duration.ZERO, LEASE,
                Duration.ZERO, LockMode.WRITE, 2));
    }

    private void assertLostWhenRenewalsAreNotConfirmed(LockRequest request) throws Exception {
        RedisLockClients.Client client = clients.connect(master.host(), master.port(), ONE_REPLICA);
        LockHandle handle = client.provider().tryAcquire(request).orElseThrow();
        link.blackHole();
        await().atMost(LEASE.plusSeconds(5)).until(() -> !client.losses().isEmpty());
        assertThat(handle.isValid()).isFalse();
        assertThat(client.losses().get(0).event().key()).isEqualTo(request.key());
        handle.close();
    }

    @Test
    void manyLocksAreRenewedWithOneWaitPerBatch() throws Exception {
        RedisLockClients.Client client = clients.connect(master.host(), master.port(), ONE_REPLICA);
        List<RedisLockHandle> held = acquireMany(client, "batch", 40);
        List<Long> acquiredUntil = held.stream().map(RedisLockHandle::trustedUntilNanos).toList();
        long waitsBefore = waitCalls();
        await().atMost(LEASE).until(() -> java.util.stream.IntStream.range(0, held.size())
                .allMatch(i -> held.get(i).trustedUntilNanos() - acquiredUntil.get(i) > 0));
        assertThat(waitCalls() - waitsBefore).as("WAITs for renewing 40 locks").isPositive().isLessThan(40);
        assertThat(client.losses()).isEmpty();
        held.forEach(LockHandle::close);
    }

    @Test
    void manyLocksWhoseBatchedRenewalsTheReplicaDoesNotConfirmAreAllLost() throws Exception {
        RedisLockClients.Client client = clients.connect(master.host(), master.port(), ONE_REPLICA);
        List<RedisLockHandle> held = acquireMany(client, "batch-cut", 20);
        link.blackHole();
        await().atMost(LEASE.plusSeconds(5)).until(() -> client.losses().size() == held.size());
        assertThat(held).noneMatch(LockHandle::isValid);
        held.forEach(LockHandle::close);
    }

    private static List<RedisLockHandle> acquireMany(RedisLockClients.Client client, String name, int count)
            throws InterruptedException {
        List<RedisLockHandle> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            held.add((RedisLockHandle) client.provider().tryAcquire(new LockRequest(key(name), Duration.ZERO, LEASE))
                    .orElseThrow());
        }
        return held;
    }

    /** The master's count of {@code WAIT} commands so far. */
    private static long waitCalls() {
        String stats = String.valueOf(RespClient.field(RespClient.call(master.host(), master.port(), "INFO",
                "commandstats"), "cmdstat_wait"));
        // calls=12,usec=...
        return Long.parseLong(stats.substring("calls=".length(), stats.indexOf(',')));
    }

    @Test
    void startUpFailsWhenMoreReplicasAreRequiredThanTheMasterHas() {
        assertThatThrownBy(() -> clients.connect(master.host(), master.port(),
                RedisReplicaAcknowledgement.of(2, Duration.ofMillis(300), false)))
                .isInstanceOfSatisfying(RedisReplicasUnavailableException.class, ex -> {
                    assertThat(ex.required()).isEqualTo(2);
                    assertThat(ex.found()).isEqualTo(1);
                })
                .hasMessageContaining("2 replica acknowledgement(s) are required")
                .hasMessageContaining("only 1 connected replica(s)");
    }

    @Test
    void startUpFailsWhenFsyncIsAskedOfAServerWithoutWaitAof() {
        Object version = RespClient.field(RespClient.call(master.host(), master.port(), "INFO", "server"),
                "redis_version");
        org.junit.jupiter.api.Assumptions.assumeFalse(ReplicaRequirement.atLeast(String.valueOf(version), 7, 2),
                "the server has WAITAOF");
        assertThatThrownBy(() -> clients.connect(master.host(), master.port(),
                RedisReplicaAcknowledgement.of(1, Duration.ofMillis(300), true)))
                .isInstanceOf(RedisReplicasUnavailableException.class)
                .hasMessageContaining("needs WAITAOF, Redis 7.2 or later")
                .hasMessageContaining("'ringlock.redis.replicas.fsync'");
    }

    @Test
    void autoAsksNoAcknowledgementOfAStandaloneServer() throws Exception {
        RedisLockProvider provider = clients.connect(master.host(), master.port(),
                RedisReplicaAcknowledgement.auto(Duration.ofMillis(300), false)).provider();
        link.blackHole();
        // standalone: nothing waits for the replica, so the cut does not matter
        try (LockHandle handle = provider.tryAcquire(new LockRequest(key("auto"), Duration.ZERO, LEASE))
                .orElseThrow()) {
            assertThat(handle.isValid()).isTrue();
        }
    }

    @Test
    void aLeaderTermTheReplicaDoesNotConfirmIsGivenBackAndWonOnceItDoes() throws Exception {
        String group = key("leader");
        String fenceKey = KEYSPACE.fenceKey(KEYSPACE.leaderKey(group));
        link.blackHole();
        RedisLeaderElectionProvider provider = leaderProvider();
        try {
            Leadership member = join(provider, group);
            // terms are issued (the fence key moves) and given back, twice at least, and none is granted
            String first = await().atMost(Duration.ofSeconds(10)).until(() -> get(fenceKey), value -> value != null);
            await().atMost(Duration.ofSeconds(10)).until(() -> !first.equals(get(fenceKey)));
            assertThat(leaderLog).isEmpty();
            assertThat(member.isLeader()).isFalse();
            link.heal();
            await().atMost(Duration.ofSeconds(30)).until(member::isLeader);
            assertThat(leaderLog).first().asString().startsWith("granted");
            // cut off again: the renewals are not confirmed, and the term ends with its lease
            link.blackHole();
            await().atMost(Duration.ofSeconds(10)).until(() -> leaderLog.stream().anyMatch(e -> e.startsWith("revoked")));
            assertThat(member.isLeader()).isFalse();
        }
        finally {
            provider.destroy();
        }
    }

    private RedisLeaderElectionProvider leaderProvider() {
        RedisLeaderElectionProvider provider = new RedisLeaderElectionProvider(
                clients.connectionFactory(master.host(), master.port()), KEYSPACE, scheduler, LEASE, POLL);
        provider.setReplicaAcknowledgement(ONE_REPLICA);
        provider.afterPropertiesSet();
        return provider;
    }

    private Leadership join(RedisLeaderElectionProvider provider, String group) {
        Leadership leadership = provider.join(group, "member-1");
        leadership.addListener(new LeadershipListener() {

            @Override
            public void granted(LeadershipGrantedEvent event) {
                leaderLog.add("granted " + event.term());
            }

            @Override
            public void revoked(LeadershipRevokedEvent event) {
                leaderLog.add("revoked " + event.term() + " " + event.reason());
            }
        });
        return leadership;
    }

    private static String get(String key) {
        Object value = RespClient.call(master.host(), master.port(), "GET", key);
        return value == null ? null : String.valueOf(value);
    }

    private static String key(String name) {
        return name + "-" + UUID.randomUUID();
    }
}
