package dev.ringlock.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.ringlock.leader.AbstractLeadership;
import dev.ringlock.leader.LeadershipRevokedEvent.Reason;
import dev.ringlock.support.Interrupts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One candidacy in a Redis leader election ({@link RedisLeaderElectionProvider}): tries for the leader key on the
 * shared scheduler (or at once when a release is heard), renews it while it leads, revokes its term at the
 * term's deadline when no renewal confirmed it in time, and gives it up on a yield or a close. Answers from Redis
 * are handled on the scheduler, never on the client's I/O thread, since they may call the listeners.
 */
final class RedisLeadership extends AbstractLeadership {

    private static final Log logger = LogFactory.getLog(RedisLeadership.class);

    private static final CompletableFuture<?> DONE = CompletableFuture.completedFuture(null);

    private final RedisLeaderElectionProvider provider;
    private final String leaderKey;
    /** The leader key's value while this candidacy holds a term on Redis ({@code <term>:<member id>}). */
    private final AtomicReference<@Nullable String> held = new AtomicReference<>();
    /** One try at a time: a try still waiting for its answer schedules the next. */
    private final AtomicBoolean trying = new AtomicBoolean();
    /** Until this {@link System#nanoTime()} a yielded member ignores release messages, so that others go first. */
    private volatile long notBeforeNanos = System.nanoTime();

    RedisLeadership(RedisLeaderElectionProvider provider, String group, String memberId, String leaderKey) {
        super(RedisBackend.NAME, group, memberId);
        this.provider = provider;
        this.leaderKey = leaderKey;
    }

    String leaderKey() {
        return leaderKey;
    }

    boolean trying() {
        return trying.get();
    }

    /** The {@link System#nanoTime()} until which the latest term is (or was) trusted; for tests. */
    long deadlineNanos() {
        return validUntilNanos();
    }

    /**
     * A release of the leader key was announced at {@code nowNanos}, heard on the client's thread: tries at once
     * ({@link RedisLeaderElectionProvider#tryOnRelease}). The answer is still handled on the scheduler.
     */
    void released(long nowNanos) {
        if (isOpen() && !holdsTerm() && nowNanos - notBeforeNanos >= 0) {
            provider.tryOnRelease(this, nowNanos);
        }
    }

    /** One try for the leader key; the answer schedules the next try, or the first renewal. */
    void attempt() {
        if (!isOpen() || holdsTerm() || !trying.compareAndSet(false, true)) {
            return;
        }
        long sentAt = System.nanoTime();
        provider.track(provider.sendAcquire(this).handleAsync((reply, failure) -> {
            try {
                return answered(reply, failure, sentAt);
            }
            finally {
                trying.set(false);
            }
        }, provider.scheduler()).thenCompose(reply -> reply));
    }

    /** Handles a try's answer; returns the give-back it sent, if it had to, so that a shutdown can wait for it. */
    private CompletableFuture<?> answered(@Nullable String reply, @Nullable Throwable failure, long sentAt) {
        if (unwrap(failure) instanceof RedisReplicasNotAcknowledgedException unconfirmed
                && unconfirmed.reply() instanceof String taken && taken.length() > 1) {
            // won on the master only: a failover could hand the term to another member, so it is given back
            logger.warn("The leadership of group '" + group() + "' on redis was given back: " + unconfirmed.getMessage());
            if (isOpen()) {
                provider.tryAfterPoll(this);
            }
            return provider.sendRelease(leaderKey, taken.substring(1));
        }
        if (failure != null || reply == null || reply.length() < 2 || reply.indexOf(':') < 0) {
            if (failure != null && isOpen()) {
                logger.debug("Trying for the leadership of group '" + group() + "' on redis failed: " + failure);
            }
            else if (failure == null) {
                logger.warn("Unexpected reply '" + reply + "' from the leader-acquire script for group '" + group()
                        + "' on redis");
            }
            if (isOpen()) {
                provider.tryAfterPoll(this);
            }
            return DONE;
        }
        if (reply.charAt(0) != '1') {
            // '0<lease left in ms> <term>:<member id>' (the lease left has no space, a member id may)
            int space = reply.indexOf(' ');
            String holder = space < 0 ? reply.substring(1) : reply.substring(space + 1);
            leaderSeen(holder.substring(holder.indexOf(':') + 1));
            if (isOpen()) {
                provider.tryAfterHolder(this, space < 0 ? -1 : leaseLeftMillis(reply.substring(1, space)), sentAt);
            }
            return DONE;
        }
        String value = reply.substring(1);
        int colon = value.indexOf(':');
        long term = Long.parseLong(value.substring(0, colon));
        held.set(value);
        if (granted(term, RedisLockHandle.deadline(sentAt, provider.leaseMillis()))) {
            provider.renewAfterPeriod(this);
            provider.expireAt(this, validUntilNanos());
            return DONE;
        }
        if (held.compareAndSet(value, null)) {
            // closed (or its provider destroyed) while the try was under way: give back what the server granted
            return provider.sendRelease(leaderKey, value);
        }
        return DONE;
    }

    /** The holder's lease left as the script read it; -1 (not known) for anything but a number. */
    private static long leaseLeftMillis(String pttl) {
        try {
            return Long.parseLong(pttl);
        }
        catch (NumberFormatException ignore) {
            // not a number: the next try falls back to the poll interval
            return -1;
        }
    }

    private static @Nullable Throwable unwrap(@Nullable Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Renews the held term's lease; the answer confirms it or revokes it. */
    void renew() {
        String value = held.get();
        if (value == null || !holdsTerm()) {
            return;
        }
        long term = term();
        provider.renewAfterPeriod(this);
        long sentAt = System.nanoTime();
        provider.sendRenew(leaderKey, value).whenCompleteAsync((renewed, failure) -> {
            if (held.get() != value) {
                return;
            }
            if (failure == null && renewed != null && renewed == 1L) {
                confirmUntil(term, RedisLockHandle.deadline(sentAt, provider.leaseMillis()));
            }
            else if (failure == null) {
                lost(value, false);
            }
            else if (!isLeader()) {
                lost(value, true);
            }
            else {
                logger.warn("Renewing the leadership of group '" + group() + "' on redis failed; retrying: " + failure);
            }
        }, provider.scheduler());
    }

    /**
     * The held term's deadline came: unless a renewal confirmed it meanwhile (and moved the deadline), the term is
     * over, whether or not an answer ever comes.
     */
    void expire() {
        String value = held.get();
        if (value == null || !holdsTerm()) {
            return;
        }
        if (isLeader()) {
            provider.expireAt(this, validUntilNanos());
            return;
        }
        lost(value, true);
    }

    /**
     * The term is over: the key is gone or holds another term ({@code giveBack} false), or its deadline passed
     * without a confirmation ({@code giveBack} true: the renewals may have reached the server, so the key, if it
     * still holds this term, is deleted rather than left to lead nobody until its lease ends).
     */
    private void lost(String value, boolean giveBack) {
        if (held.compareAndSet(value, null)) {
            provider.stopRenewing(this);
            revoked(Reason.LEASE_LOST);
            if (giveBack) {
                provider.sendRelease(leaderKey, value);
            }
            if (isOpen()) {
                provider.tryAt(this, System.nanoTime());
            }
        }
    }

    @Override
    protected void handOver(long term) {
        notBeforeNanos = System.nanoTime() + provider.yieldBackOffNanos();
        String value = held.getAndSet(null);
        if (value != null) {
            provider.sendRelease(leaderKey, value);
        }
        // after the release is on its way: the renewal and deadline still queued find no held value and do nothing
        provider.stopRenewing(this);
        provider.tryAt(this, notBeforeNanos);
    }

    /**
     * Waits for the release, through interrupts, so that the key is gone (and the others woken) before the client may
     * shut down.
     */
    @Override
    protected void leave() {
        provider.forget(this);
        String value = held.getAndSet(null);
        if (value == null) {
            return;
        }
        CompletableFuture<@Nullable Long> release = provider.sendRelease(leaderKey, value);
        try {
            Interrupts.getThroughInterrupts(release, Duration.ofMillis(provider.leaseMillis()));
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("Could not release the leader key of group '" + group() + "': " + ex, ex);
        }
    }
}
