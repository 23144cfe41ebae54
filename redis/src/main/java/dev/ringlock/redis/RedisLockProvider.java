package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.ringlock.lock.LockBackendException;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockNotAcquiredException;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Locks on Redis.
 * <ul>
 * <li>Acquire: one script sets the lock key with its lease ({@code PX}) and issues the fencing token, floored
 * by the server's {@code TIME} in microseconds; one round trip.</li>
 * <li>Release: one compare-and-delete script on the handle's owner id; it announces the release on the
 * release channel only when a client is waiting. It also leaves a marker of its own
 * ({@code …:released:<owner id>}, holding its answer and the handle's token) for as long as the caller waits
 * for the answer: Lettuce sends an unanswered command again after a reconnect, and a release whose first run
 * deleted the key, but whose answer was lost, would otherwise find the key gone (or the next holder's) and report
 * a lock that was released as lost. The READ and permit release does the same; a resent hand-over finds the key
 * its waiter's already and answers as its first run did.</li>
 * <li>Hold ({@link LockRequest#holdAtLeast()}): the same script, given the handle's fencing token and hold, keeps
 * the key instead of deleting it while the hold lasts, and sets its {@code PX} to what is left of it. What is left
 * is counted on the server's clock from the token, which the server's {@code TIME} at acquisition floors: the
 * holder's clock plays no part, and a token issued above that time (the server clock stepped back) only lengthens
 * the hold, never beyond the hold itself. Renewals stop at close, so a hold longer than the lease simply keeps
 * the key that long. No hand-over, and no release message, for a lock kept for its hold: waiters take it when
 * the key expires, woken by their poll or the end of the key's remaining lease that the acquire script told
 * them.</li>
 * <li>Lease: renewed at a third of its length by one shared scheduler for all held locks
 * ({@link RedisLeaseWatchdog}); a renewal that finds the lock gone marks the handle lost.</li>
 * <li>Waiting: woken by the release message, with a poll every {@code pollInterval} (and at the end of the
 * holder's lease) as fallback, never a spin. Of this provider's threads waiting for one key, only one at a
 * time tries Redis; the others queue behind it in arrival order ({@link LocalWaiterGate}), so a release
 * costs one attempt here, not one per local waiter.</li>
 * <li>Hand-over: a holder that releases a lock for which a thread of this provider waits gives it straight to
 * that thread, with a new token, in one script ({@link HandOver}): the lock is never free in between, and the
 * next holder starts one round trip after the release began instead of two. After
 * {@link LocalWaiterGate#HAND_OVERS_IN_A_ROW} hand-overs in a row a holder releases on Redis instead, so that
 * waiters in other processes get their chance.</li>
 * <li>Failures: no call waits for Redis past the caller's wait time (but at least {@link #MIN_REPLY_WAIT}),
 * nor a release past the end of the lease, whatever the client's command timeout. A waiter keeps trying
 * through a Redis outage at its poll interval; when its wait runs out it gets a
 * {@link LockNotAcquiredException} whose cause, a {@link LockBackendException}, says what failed.</li>
 * </ul>
 * <p>
 * READ locks and permits ({@link LockRequest#mode()}, {@link LockRequest#permits()}) mark the same lock key, so the
 * exclusive lock above is unchanged by them and sees their key as held; each holder has its own lease, renewed by
 * the same watchdog, and its own token from the same fence key ({@link RedisSharedLocks}, waiting as
 * {@link RedisSharedLockAttempt}). A writer waiting for readers keeps new readers out while it keeps trying, so a
 * stream of readers cannot starve it. A key is used with one number of permits (the exclusive and READ locks count
 * as 1); another is refused with an {@link IllegalArgumentException} naming the key. READ and permit locks take no
 * hold ({@link LockRequest#holdAtLeast()}), and are never handed over.
 * <p>
 * Redis replicates asynchronously: a failover can lose a lock that no replica had yet. With replica
 * acknowledgement ({@link #setReplicaAcknowledgement}) an acquisition, hand-over or renewal counts only once the
 * replicas asked for confirmed it ({@code WAIT}); one they did not is undone and fails with a
 * {@link RedisReplicasNotAcknowledgedException}, and a renewal that cannot be confirmed before the lease ends loses
 * the lock. Fencing tokens remain the guard for what acknowledgement cannot cover (a replica promoted that missed
 * the write after all, when several replicas exist and fewer must confirm).
 * <p>
 * A restart without persistence loses every lock key: a waiter may take a lock whose old holder still trusts
 * its lease, until that holder's next renewal finds the key gone (one renewal period after its client has
 * reconnected) or, at the latest, its lease runs out. Its token is still larger than the old holder's, since
 * the server's {@code TIME} floors it once the fence key is gone too; only a server clock set back by more
 * than the outage lasted could make a token go backwards.
 */
public final class RedisLockProvider implements LockProvider, InitializingBean, DisposableBean {

    /** How long a fence key outlives its lock's last acquisition; past it, the TIME floor alone keeps tokens increasing. */
    static final Duration FENCE_TTL = Duration.ofDays(1);

    private static final String FENCE_TTL_MILLIS = Long.toString(FENCE_TTL.toMillis());

    /**
     * The least time a call waits for Redis's answer, even when the caller's wait time is shorter (or zero):
     * a healthy server answers in milliseconds, a loaded one should not turn every short wait into a failure.
     */
    static final Duration MIN_REPLY_WAIT = Duration.ofSeconds(1);

    private final RedisKeyspace keyspace;
    private final BoundedScripts scripts;
    private final RedisSharedLocks shared;
    private final ScheduledExecutorService scheduler;
    private final RedisLeaseWatchdog watchdog;
    private final LockLossListener lossListener;
    private final Duration pollInterval;
    /**
     * How long a writer's flag that keeps new readers out lives without a new attempt of the writer: two poll
     * intervals. A waiting writer tries at least once per poll interval, so the flag lasts while it waits and lapses
     * soon after it got in or gave up, when readers share the key again.
     */
    private final String writerFlagMillis;
    private final RedisReleaseSignals signals = new RedisReleaseSignals();
    private final LocalWaiterGate gate = new LocalWaiterGate();
    private final RedisReleaseChannel releases;
    private final boolean ownsReleases;
    /** The listener only signals local waiters, on the client's thread. */
    private final Consumer<String> releaseSubscriber = signals::fire;
    private final String ownerPrefix = UUID.randomUUID() + ":";
    private final AtomicLong ownerSequence = new AtomicLong();
    private RedisReplicaAcknowledgement replicaAcknowledgement = RedisReplicaAcknowledgement.none();

    /** The acquire scripts' answer when they took the lock: {@code {1, token}}. */
    static final Predicate<@Nullable List<Long>> ACQUIRED = reply -> reply != null && !reply.isEmpty()
            && reply.get(0) == 1L;

    /** The renew and release scripts' answer when they found the lock the caller's. */
    static final Predicate<@Nullable Long> DONE = answer -> answer != null && answer == 1L;

    /**
     * A provider with a release-channel subscription of its own, started and ended with it.
     * @param scheduler the shared scheduler that renews leases; not shut down here
     * @param pollInterval how often a waiter checks the lock without a release message
     */
    public RedisLockProvider(RedisConnectionFactory connectionFactory, RedisKeyspace keyspace,
            ScheduledExecutorService scheduler, LockLossListener lossListener, Duration pollInterval) {
        this(connectionFactory, new RedisReleaseChannel(Objects.requireNonNull(connectionFactory, "connectionFactory"),
                keyspace), true, scheduler, lossListener, pollInterval);
    }

    /**
     * A provider that hears releases through {@code releases}, shared with the application's other Redis
     * providers of the same keyspace, on the same server; {@code releases} is started and ended by its owner.
     * @param releases the shared subscription; its keyspace is this provider's
     * @param scheduler the shared scheduler that renews leases; not shut down here
     * @param pollInterval how often a waiter checks the lock without a release message
     */
    public RedisLockProvider(RedisConnectionFactory connectionFactory, RedisReleaseChannel releases,
            ScheduledExecutorService scheduler, LockLossListener lossListener, Duration pollInterval) {
        this(connectionFactory, releases, false, scheduler, lossListener, pollInterval);
    }

    private RedisLockProvider(RedisConnectionFactory connectionFactory, RedisReleaseChannel releases,
            boolean ownsReleases, ScheduledExecutorService scheduler, LockLossListener lossListener,
            Duration pollInterval) {
        Objects.requireNonNull(connectionFactory, "connectionFactory");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("'ringlock.lock.poll-interval' must be positive, was " + pollInterval);
        }
        this.releases = Objects.requireNonNull(releases, "releases");
        this.ownsReleases = ownsReleases;
        this.keyspace = releases.keyspace();
        this.scripts = new BoundedScripts(connectionFactory);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.shared = new RedisSharedLocks(keyspace, scripts, scheduler);
        this.watchdog = new RedisLeaseWatchdog(scripts, shared, scheduler);
        this.lossListener = Objects.requireNonNull(lossListener, "lossListener");
        this.pollInterval = pollInterval;
        this.writerFlagMillis = Long.toString(Math.max(1, pollInterval.multipliedBy(2).toMillis()));
    }

    /**
     * How many replicas must confirm each acquisition and renewal before it counts (none unless set); to be set
     * before {@link #afterPropertiesSet()}, which resolves it against the servers.
     */
    public void setReplicaAcknowledgement(RedisReplicaAcknowledgement replicaAcknowledgement) {
        this.replicaAcknowledgement = Objects.requireNonNull(replicaAcknowledgement, "replicaAcknowledgement");
    }

    /**
     * Connects and listens to the release channel, subscribing to it first unless it is shared; fails when Redis
     * cannot be reached, or cannot give the replica acknowledgements asked for
     * ({@link RedisReplicasUnavailableException}).
     */
    @Override
    public void afterPropertiesSet() {
        scripts.connect();
        scripts.acknowledge(replicaAcknowledgement, "locks");
        releases.subscribe(releaseSubscriber);
        if (ownsReleases) {
            releases.afterPropertiesSet();
        }
    }

    @Override
    public void destroy() throws Exception {
        releases.unsubscribe(releaseSubscriber);
        if (ownsReleases) {
            releases.destroy();
        }
        scripts.close();
    }

    @Override
    public String backend() {
        return RedisBackend.NAME;
    }

    /** Every kind: exclusive, READ and permit locks. */
    @Override
    public boolean supports(LockRequest request) {
        return true;
    }

    /**
     * Each call is one {@link RedisLockAttempt}, which names the steps of an acquisition, or for READ and permit
     * locks one {@link RedisSharedLockAttempt}.
     * @throws IllegalArgumentException for a key in use with another number of permits
     */
    @Override
    public Optional<LockHandle> tryAcquire(LockRequest request) throws InterruptedException {
        if (request.isExclusive()) {
            return new RedisLockAttempt(this, signals, gate, request, pollInterval).run();
        }
        return new RedisSharedLockAttempt(this, shared, signals, request, pollInterval).run();
    }

    /** A new owner id, unique to this provider and across processes. */
    String newOwner() {
        return ownerPrefix + ownerSequence.incrementAndGet();
    }

    /** The Redis key of the lock on the application's {@code key}. */
    String lockKey(String key) {
        return keyspace.lockKey(key);
    }

    /** The handle of a lock acquired on Redis, watched from now on. */
    RedisLockHandle acquired(String key, String lockKey, String owner, long token, long sentAtNanos, long leaseMillis,
            long holdMillis) {
        RedisLockHandle handle = new RedisLockHandle(this, key, lockKey, owner, token, sentAtNanos, leaseMillis,
                holdMillis);
        watchdog.watch(handle);
        return handle;
    }

    /** The handle of a READ lock or permit acquired on Redis, watched from now on. */
    RedisLockHandle acquiredShared(String key, String lockKey, String owner, long token, long sentAtNanos,
            long leaseMillis) {
        RedisLockHandle handle = new RedisLockHandle(this, key, lockKey, owner, token, sentAtNanos, leaseMillis, 0,
                true);
        watchdog.watch(handle);
        return handle;
    }

    /** The handle of a lock a local holder handed over, watched from now on. */
    RedisLockHandle handedOver(String key, String lockKey, HandOver handOver) {
        return acquired(key, lockKey, handOver.owner(), handOver.token(), handOver.sentAtNanos(),
                handOver.leaseMillis(), handOver.holdMillis());
    }

    /** Runs the acquire script, waiting at most {@code timeout} for its answer. */
    @Nullable List<Long> callAcquire(List<String> keys, List<String> args, Duration timeout)
            throws InterruptedException {
        return scripts.callAcknowledged(RedisLockScripts.ACQUIRE, keys, args, timeout, scheduler, ACQUIRED);
    }

    /**
     * Releases a lock whose release nobody waits for: one that {@code owner} may hold without knowing it (an
     * acquire or hand-over whose answer was lost), or one handed over to a waiter that had stopped waiting. Sent
     * after the write it undoes, on its connection; no answer is awaited, so it leaves no release marker.
     */
    CompletableFuture<@Nullable Long> sendRelease(String lockKey, String owner, Duration timeout) {
        return scripts.sendUndo(RedisLockScripts.RELEASE, releaseKeys(lockKey, owner),
                List.of(owner, keyspace.releaseChannel()), timeout, scheduler);
    }

    /**
     * The acquire script's arguments (see {@code lock-acquire.lua}); {@code handingOver} is the owner id of a
     * holder handing the lock to {@code owner}, {@code null} for an acquisition.
     */
    List<String> acquireArgs(String owner, long leaseMillis, long waitMillis, @Nullable String handingOver) {
        String lease = Long.toString(leaseMillis);
        String wait = Long.toString(waitMillis);
        return handingOver == null ? List.of(owner, lease, wait, FENCE_TTL_MILLIS, writerFlagMillis)
                : List.of(owner, lease, wait, FENCE_TTL_MILLIS, writerFlagMillis, handingOver);
    }

    /**
     * The acquire scripts answer {@code {1, token}}, {@code {0, remaining lease or -1}} or {@code {2, permits in
     * use}}; anything else is a bug.
     */
    static List<Long> checkedReply(@Nullable List<Long> reply, String key, String script) {
        if (reply == null || reply.size() != 2) {
            throw new IllegalStateException("Unexpected reply " + reply + " from the " + script + " script for lock '"
                    + key + "' on redis");
        }
        return reply;
    }

    List<String> acquireKeys(String lockKey) {
        return List.of(lockKey, keyspace.fenceKey(lockKey), keyspace.waitingKey(lockKey),
                keyspace.writerWaitingKey(lockKey));
    }

    private List<String> releaseKeys(String lockKey, String owner) {
        return List.of(lockKey, keyspace.waitingKey(lockKey), keyspace.releasedKey(lockKey, owner));
    }

    /**
     * The release script's arguments for {@code handle}'s holder, waiting {@code timeout} for the answer: the
     * release marker lives as long, so that a run the client resends within that time finds it.
     */
    private List<String> releaseArgs(RedisLockHandle handle, Duration timeout) {
        return List.of(handle.owner(), keyspace.releaseChannel(), markerMillis(timeout),
                Long.toString(handle.fencingToken()));
    }

    /** How long a release marker lives: as long as its release waits for the answer, in whole milliseconds. */
    static String markerMillis(Duration timeout) {
        return Long.toString(Math.max(1, timeout.toMillis() + 1));
    }

    static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    void stopRenewing(RedisLockHandle handle) {
        watchdog.unwatch(handle);
    }

    void release(RedisLockHandle handle) {
        watchdog.unwatch(handle);
        // With renewals stopped, the lock ends with its lease at the latest: an answer later than that says
        // nothing, so a release waits no longer (but MIN_REPLY_WAIT at least, for one that is already over).
        Duration timeout = max(Duration.ofNanos(handle.remainingLeaseNanos()), MIN_REPLY_WAIT);
        if (handle.shared()) {
            releaseShared(handle, timeout);
            return;
        }
        if (handle.holdMillis() > 0) {
            releaseAfterHold(handle, timeout);
            return;
        }
        LocalWaiterGate.Release next = gate.release(handle.lockKey());
        try {
            if (next.handOver() != null) {
                handOver(handle, next.handOver(), timeout);
                return;
            }
            Long released = scripts.callGivingBack(RedisLockScripts.RELEASE,
                    releaseKeys(handle.lockKey(), handle.owner()), releaseArgs(handle, timeout), timeout);
            if (released != null && released == 0L) {
                handle.foundLostAtRelease();
            }
            else if (next.wakeLocalWaiter()) {
                // waiters in this JVM need not wait for the release message's round trip
                signals.fire(handle.lockKey());
            }
        }
        catch (DataAccessException ex) {
            throw new LockBackendException(handle.key(), backend(), "releasing", ex);
        }
    }

    /** Releases a READ lock or permit: never handed over, so waiters of every kind compete for it on Redis. */
    private void releaseShared(RedisLockHandle handle, Duration timeout) {
        try {
            Long released = shared.callRelease(handle, timeout);
            if (released != null && released == 0L) {
                handle.foundLostAtRelease();
            }
            else {
                // waiters in this JVM need not wait for the release message's round trip
                signals.fire(handle.lockKey());
            }
        }
        catch (DataAccessException ex) {
            throw new LockBackendException(handle.key(), backend(), "releasing", ex);
        }
    }

    /**
     * Releases a lock acquired with a hold: the script keeps the key for the rest of the hold, by the server's
     * clock, or deletes it if the hold has run. Never handed over: a local waiter must not get the lock before
     * the hold ends either.
     */
    private void releaseAfterHold(RedisLockHandle handle, Duration timeout) {
        try {
            Long released = scripts.callGivingBack(RedisLockScripts.RELEASE,
                    releaseKeys(handle.lockKey(), handle.owner()),
                    List.of(handle.owner(), keyspace.releaseChannel(), markerMillis(timeout),
                            Long.toString(handle.fencingToken()), Long.toString(handle.holdMillis())), timeout);
            if (released != null && released == 0L) {
                handle.foundLostAtRelease();
            }
            else if (released != null && released == 1L) {
                signals.fire(handle.lockKey());
            }
        }
        catch (DataAccessException ex) {
            throw new LockBackendException(handle.key(), backend(), "releasing", ex);
        }
    }

    /**
     * Gives the lock of {@code handle} to the waiter that offered to take it, in one script: the waiter's owner
     * id replaces the holder's, with a new token, so the lock is never free in between.
     */
    private void handOver(RedisLockHandle handle, HandOver next, Duration timeout) {
        String lockKey = handle.lockKey();
        boolean handedOver = false;
        long sentAt = System.nanoTime();
        try {
            List<Long> reply = checkedReply(scripts.callAcknowledgedGivingBack(RedisLockScripts.ACQUIRE,
                    acquireKeys(lockKey), acquireArgs(next.owner(), next.leaseMillis(), 0, handle.owner()), timeout,
                    scheduler, ACQUIRED), handle.key(), "hand-over");
            if (reply.get(0) == 1L) {
                handedOver = true;
                if (!next.complete(reply.get(1), sentAt)) {
                    // the waiter stopped waiting meanwhile: the lock is nobody's
                    sendRelease(lockKey, next.owner(), Duration.ofMillis(next.leaseMillis()));
                }
            }
            else {
                handle.foundLostAtRelease();
            }
        }
        catch (RedisReplicasNotAcknowledgedException ex) {
            // Handed over on the master only: undone, the lock is free, which is what the holder asked for; the
            // waiter tries again on Redis.
            sendRelease(lockKey, next.owner(), Duration.ofMillis(next.leaseMillis()));
        }
        catch (DataAccessException ex) {
            // The script may have run and only its answer been lost: take back a lock nobody would know of.
            sendRelease(lockKey, next.owner(), Duration.ofMillis(next.leaseMillis()));
            throw ex;
        }
        finally {
            if (!handedOver) {
                next.reopen();
            }
            signals.fire(lockKey);
        }
    }

    LockLossListener lossListener() {
        return lossListener;
    }

    /** Lock keys this JVM is waiting for; for tests that check nothing is left behind. */
    int waitingKeys() {
        return signals.registeredKeys();
    }

    /** Lock keys with threads of this JVM queued at the local gate; for tests that check nothing is left behind. */
    int gatedKeys() {
        return gate.queuedKeys();
    }

    /** Leases this JVM renews; for tests. */
    int watchedLeases() {
        return watchdog.watched();
    }

    /** Stops renewing leases without releasing them, as if this process froze; for fault tests. */
    void suspendWatchdogForTests() {
        watchdog.suspend();
    }

    /** Lets the watchdog renew again, as if this process thawed; the next renewal finds out what was lost. */
    void resumeWatchdogForTests() {
        watchdog.resume();
    }
}
