package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.Leadership;
import dev.ringlock.support.DueActions;
import dev.ringlock.support.Identifiers;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Leader election on Redis.
 * <ul>
 * <li>Per group one leader key, {@code <prefix>:{leader:<group>}}, holding {@code <term>:<member id>} with the lease
 * as its TTL. A candidate takes it with one script ({@code leader-acquire.lua}) that issues the term as lock
 * acquisition issues a fencing token: {@code max(last + 1, TIME in µs)} from a fence key per group, so terms keep
 * increasing across members, restarts and a server that lost its data.</li>
 * <li>A leader trusts its term until the request that won or last renewed it was sent plus the lease, minus the
 * margin lock handles use ({@link RedisLockHandle#deadline}). Renewals run at a third of the lease on the shared
 * scheduler, one sweep for all groups ({@link DueActions}); one that finds the key gone or another term's revokes
 * the term with {@code LEASE_LOST}. A term whose renewals go unanswered (a network black hole, a frozen server)
 * is revoked with {@code LEASE_LOST} at its deadline, by the same scheduler; a renewal confirmed before the
 * deadline moves it and keeps the term. A term revoked without a definite answer is given back on the server
 * too (compare-and-delete on its value), in case the renewals did reach it.</li>
 * <li>A yield or a close deletes the key if it still holds this term and announces it on the release channel;
 * the other candidates try at once. A yielding member waits the poll interval, at most {@link #MAX_YIELD_BACK_OFF}, before trying again, so that
 * another candidate takes it first; if none does, it leads again with a new term.</li>
 * <li>Candidates try with one asynchronous script each, no thread per group: when a release is announced (sent
 * from the client's thread that heard it, which saves a thread wake-up per hand-over), and on the shared
 * scheduler every {@code pollInterval} without one (pub/sub is at most once), or when the holder's lease ends if
 * that is sooner (a dead leader's key expiring). Each try reads the holder's value and its lease
 * left ({@code PTTL}), so followers see who leads and when its lease would end.</li>
 * </ul>
 * A script whose answer is lost (a timeout) may have taken the key without this member knowing: the key then
 * ends with its lease, and nobody leads until it does. {@link #destroy()} closes the candidacies still open and
 * waits (bounded) for the answers of tries under way, so that one that took the key gives it back at once.
 * <p>
 * Releases are heard on a {@link RedisReleaseChannel}, this provider's own or one shared with the application's
 * {@link RedisLockProvider}.
 */
public final class RedisLeaderElectionProvider implements LeaderElectionProvider, InitializingBean, DisposableBean {

    /** Sweeps due this close together run as one. */
    private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** The longest a yielding member stays out of the race for its group when no one else takes it. */
    static final Duration MAX_YIELD_BACK_OFF = Duration.ofMillis(250);

    private static final String FENCE_TTL_MILLIS = Long.toString(RedisLockProvider.FENCE_TTL.toMillis());

    private final RedisKeyspace keyspace;
    private final BoundedScripts scripts;
    private final ScheduledExecutorService scheduler;
    private final long leaseMillis;
    private final long renewNanos;
    private final long pollNanos;
    private final long yieldBackOffNanos;
    private final DueActions<RedisLeadership> attempts;
    private final DueActions<RedisLeadership> renewals;
    /** The open candidacies of this provider by leader key, woken by release messages. */
    private final ConcurrentHashMap<String, Set<RedisLeadership>> candidates = new ConcurrentHashMap<>();
    private final DueActions<RedisLeadership> expiries;
    private final RedisReleaseChannel releases;
    private final boolean ownsReleases;
    /** A release on the shared channel (of a leader key or of a lock): the candidates of that key try now. */
    private final Consumer<String> releaseSubscriber = this::released;
    /** Tries whose answer, and the give-back that answer may need, are still under way; destroy waits for them. */
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean destroyed;
    private RedisReplicaAcknowledgement replicaAcknowledgement = RedisReplicaAcknowledgement.none();

    /**
     * A provider with a release-channel subscription of its own, started and ended with it.
     * @param scheduler the shared scheduler that runs candidates' tries and renewals; not shut down here
     * @param leaseTime how long a leader key lives without renewal ({@code ringlock.leader.lease-time})
     * @param pollInterval how often a candidate tries without a release message ({@code ringlock.lock.poll-interval})
     */
    public RedisLeaderElectionProvider(RedisConnectionFactory connectionFactory, RedisKeyspace keyspace,
            ScheduledExecutorService scheduler, Duration leaseTime, Duration pollInterval) {
        this(connectionFactory, new RedisReleaseChannel(Objects.requireNonNull(connectionFactory, "connectionFactory"),
                keyspace), true, scheduler, leaseTime, pollInterval);
    }

    /**
     * A provider that hears releases through {@code releases}, shared with the application's other Redis
     * providers of the same keyspace ({@link RedisLockProvider}), on the same server; {@code releases} is
     * started and ended by its owner.
     * @param releases the shared subscription; its keyspace is this provider's
     * @param scheduler the shared scheduler that runs candidates' tries and renewals; not shut down here
     * @param leaseTime how long a leader key lives without renewal ({@code ringlock.leader.lease-time})
     * @param pollInterval how often a candidate tries without a release message ({@code ringlock.lock.poll-interval})
     */
    public RedisLeaderElectionProvider(RedisConnectionFactory connectionFactory, RedisReleaseChannel releases,
            ScheduledExecutorService scheduler, Duration leaseTime, Duration pollInterval) {
        this(connectionFactory, releases, false, scheduler, leaseTime, pollInterval);
    }

    private RedisLeaderElectionProvider(RedisConnectionFactory connectionFactory, RedisReleaseChannel releases,
            boolean ownsReleases, ScheduledExecutorService scheduler, Duration leaseTime, Duration pollInterval) {
        Objects.requireNonNull(connectionFactory, "connectionFactory");
        Objects.requireNonNull(leaseTime, "leaseTime");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (leaseTime.toMillis() < 3) {
            throw new IllegalArgumentException("'ringlock.leader.lease-time' must be at least 3 ms, was " + leaseTime);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("'ringlock.lock.poll-interval' must be positive, was " + pollInterval);
        }
        this.releases = Objects.requireNonNull(releases, "releases");
        this.ownsReleases = ownsReleases;
        this.keyspace = releases.keyspace();
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.scripts = new BoundedScripts(connectionFactory);
        this.leaseMillis = leaseTime.toMillis();
        this.renewNanos = TimeUnit.MILLISECONDS.toNanos(leaseMillis / 3);
        this.pollNanos = pollInterval.toNanos();
        this.yieldBackOffNanos = Math.min(pollNanos, MAX_YIELD_BACK_OFF.toNanos());
        this.attempts = new DueActions<>(scheduler, BATCH_NANOS, RedisLeadership::attempt);
        this.renewals = new DueActions<>(scheduler, BATCH_NANOS, RedisLeadership::renew);
        // not batched: a term must not be revoked before its deadline, where a late renewal may still keep it
        this.expiries = new DueActions<>(scheduler, 0, RedisLeadership::expire);
    }

    /**
     * Connects and listens to the release channel, subscribing to it first unless it is shared; fails when Redis
     * cannot be reached, or cannot give the replica acknowledgements asked for
     * ({@link RedisReplicasUnavailableException}).
     */
    @Override
    public void afterPropertiesSet() {
        scripts.connect();
        scripts.acknowledge(replicaAcknowledgement, "leader terms");
        releases.subscribe(releaseSubscriber);
        if (ownsReleases) {
            releases.afterPropertiesSet();
        }
    }

    /**
     * Closes every candidacy still open (giving up a held term at once), waits a bounded time for the answers of
     * tries still under way, so that a key one of them took is given back rather than left to its lease, and
     * disconnects.
     */
    @Override
    public void destroy() throws Exception {
        destroyed = true;
        releases.unsubscribe(releaseSubscriber);
        for (Set<RedisLeadership> open : List.copyOf(candidates.values())) {
            List.copyOf(open).forEach(RedisLeadership::close);
        }
        CompletableFuture<?>[] underWay = inFlight.toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(underWay).get(pollTimeout().plus(releaseTimeout()).toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (ExecutionException | TimeoutException ignore) {
            // a try that failed or went unanswered took nothing this member knows of: its lease ends it
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (ownsReleases) {
            releases.destroy();
        }
        scripts.close();
    }

    @Override
    public String backend() {
        return RedisBackend.NAME;
    }

    @Override
    public Leadership join(String group, String memberId) {
        Identifiers.requireValid("group", group);
        Identifiers.requireValid("memberId", memberId);
        if (destroyed) {
            throw new IllegalStateException("The Redis leader election was shut down; cannot join group '" + group + "'");
        }
        RedisLeadership candidacy = new RedisLeadership(this, group, memberId, keyspace.leaderKey(group));
        candidates.computeIfAbsent(candidacy.leaderKey(), k -> ConcurrentHashMap.newKeySet()).add(candidacy);
        attempts.add(candidacy, System.nanoTime());
        return candidacy;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    long yieldBackOffNanos() {
        return yieldBackOffNanos;
    }

    /** Stops renewing, and watching the deadline of, the term {@code leadership} held. */
    void stopRenewing(RedisLeadership leadership) {
        renewals.remove(leadership);
        expiries.remove(leadership);
    }

    /** Checks {@code leadership}'s validity at {@code deadlineNanos}, revoking its term if no renewal moved it. */
    void expireAt(RedisLeadership leadership, long deadlineNanos) {
        expiries.add(leadership, deadlineNanos);
    }

    /** Keeps {@code handled} (a try's answer and what it sent in reply) until it completes, for {@link #destroy()}. */
    void track(CompletableFuture<?> handled) {
        inFlight.add(handled);
        handled.whenComplete((ignored, failure) -> inFlight.remove(handled));
    }

    long leaseMillis() {
        return leaseMillis;
    }

    /** Schedules {@code candidacy}'s next try at {@code atNanos}. */
    void tryAt(RedisLeadership candidacy, long atNanos) {
        attempts.add(candidacy, atNanos);
    }

    /**
     * A release was heard: {@code candidacy} tries now, from the client's thread that heard it, in place of the
     * try it has queued, unless sending would block that thread (then on the scheduler, at once).
     */
    void tryOnRelease(RedisLeadership candidacy, long nowNanos) {
        if (scripts.blocksCaller()) {
            tryAt(candidacy, nowNanos);
            return;
        }
        attempts.remove(candidacy);
        candidacy.attempt();
    }

    void tryAfterPoll(RedisLeadership candidacy) {
        tryAt(candidacy, System.nanoTime() + pollNanos);
    }

    /**
     * The next try of a candidate that found the key held with {@code leaseLeftMillis} of its lease left (as PTTL
     * answered, -1 when not known) by a try sent at {@code sentAtNanos}: when that lease ends if that comes before
     * the poll interval, so that a follower takes over from a leader that died (and stopped renewing) as soon as
     * its key expires instead of up to a poll interval later. A live leader renews at a third of the lease, so
     * its lease left stays above the poll interval's default (1 s) and its followers keep polling as before.
     * The lease's end is counted from the send (the script ran after it), so the try reaches the server close to
     * the expiry; one that comes a little early finds 0 ms left and tries again 1 ms later.
     */
    void tryAfterHolder(RedisLeadership candidacy, long leaseLeftMillis, long sentAtNanos) {
        long polled = System.nanoTime() + pollNanos;
        if (leaseLeftMillis < 0) {
            tryAt(candidacy, polled);
            return;
        }
        long leaseEnds = sentAtNanos + TimeUnit.MILLISECONDS.toNanos(Math.max(leaseLeftMillis, 1));
        tryAt(candidacy, leaseEnds - polled < 0 ? leaseEnds : polled);
    }

    void tryAfterYield(RedisLeadership candidacy) {
        tryAt(candidacy, System.nanoTime() + yieldBackOffNanos);
    }

    void renewAfterPeriod(RedisLeadership leadership) {
        renewals.add(leadership, System.nanoTime() + renewNanos);
    }

    /** Stops every try and renewal of a closed candidacy. */
    void forget(RedisLeadership candidacy) {
        candidates.computeIfPresent(candidacy.leaderKey(), (k, set) -> {
            set.remove(candidacy);
            return set.isEmpty() ? null : set;
        });
        attempts.remove(candidacy);
        renewals.remove(candidacy);
        expiries.remove(candidacy);
    }

    /**
     * How many replicas must confirm each term won and each renewal before it counts (none unless set); to be set
     * before {@link #afterPropertiesSet()}, which resolves it against the servers. A term the replicas did not
     * confirm is given back at once, and the candidate tries again at its poll interval.
     */
    public void setReplicaAcknowledgement(RedisReplicaAcknowledgement replicaAcknowledgement) {
        this.replicaAcknowledgement = Objects.requireNonNull(replicaAcknowledgement, "replicaAcknowledgement");
    }

    /**
     * Sends the acquire script; the answer is {@code 1<value>} when taken, {@code 0<holder's value>} otherwise, or
     * a {@link RedisReplicasNotAcknowledgedException} for a term taken that the replicas did not confirm.
     */
    CompletableFuture<@Nullable String> sendAcquire(RedisLeadership candidacy) {
        return scripts.sendAcknowledged(RedisLeaderScripts.ACQUIRE,
                List.of(candidacy.leaderKey(), keyspace.fenceKey(candidacy.leaderKey())),
                List.of(candidacy.memberId(), Long.toString(leaseMillis), FENCE_TTL_MILLIS), pollTimeout(), scheduler,
                reply -> reply != null && reply.startsWith("1"));
    }

    CompletableFuture<@Nullable Long> sendRenew(String leaderKey, String value) {
        return scripts.sendAcknowledged(RedisLeaderScripts.RENEW, List.of(leaderKey),
                List.of(value, Long.toString(leaseMillis)), Duration.ofNanos(renewNanos), scheduler,
                RedisLockProvider.DONE);
    }

    CompletableFuture<@Nullable Long> sendRelease(String leaderKey, String value) {
        return scripts.send(RedisLeaderScripts.RELEASE, List.of(leaderKey), List.of(value, keyspace.releaseChannel()),
                releaseTimeout(), scheduler);
    }

    /** Past the lease the key is gone anyway: a release waits no longer (but a healthy server's reply time at least). */
    private Duration releaseTimeout() {
        return RedisLockProvider.max(Duration.ofMillis(leaseMillis), RedisLockProvider.MIN_REPLY_WAIT);
    }

    private Duration pollTimeout() {
        return RedisLockProvider.max(Duration.ofNanos(pollNanos), RedisLockProvider.MIN_REPLY_WAIT);
    }

    /** Candidacies, tries and renewals this provider still keeps; for tests that check nothing is left behind. */
    String leftBehind() {
        return "candidacies " + candidates.size() + ", tries " + attempts.size() + ", renewals " + renewals.size()
                + ", deadlines " + expiries.size() + ", answers awaited " + inFlight.size();
    }

    boolean keepsNothing() {
        return candidates.isEmpty() && attempts.size() == 0 && renewals.size() == 0 && expiries.size() == 0
                && inFlight.isEmpty();
    }

    private void released(String releasedKey) {
        Set<RedisLeadership> waiting = candidates.get(releasedKey);
        if (waiting != null) {
            long now = System.nanoTime();
            waiting.forEach(candidacy -> candidacy.released(now));
        }
    }
}
