package dev.ringlock.leader;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.ringlock.support.Identifiers;
import dev.ringlock.support.Interrupts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The state every backend's candidacy shares: candidate, leader of a term with a local validity deadline, or
 * closed; the listeners; and the order of events.
 * <pre>
 *   candidate --granted(term)--&gt; leader(term, validUntilNanos) --revoked(reason) / yield--&gt; candidate
 *   candidate | leader --close()--&gt; closed
 * </pre>
 * The backend reports what the server says: {@link #granted} when this candidacy wins a term,
 * {@link #confirmUntil} each time the server confirms the lease or session, {@link #suspend()} and
 * {@link #resume()} around a connection that may have been lost, {@link #revoked} when the term is known to be
 * over, and {@link #leaderSeen} when it learns who leads. It implements {@link #handOver(long)} and
 * {@link #leave()}, which this class calls only after this member stopped trusting its leadership, so that the
 * next leader can never overlap with it.
 * <p>
 * {@link #isLeader()} is judged on {@link System#nanoTime()} alone, so a thread that resumes after a freeze
 * sees an expired deadline before any watchdog or connection event has run. Terms are checked here to be
 * positive and strictly increasing per candidacy; a backend that issued a wrong one gets an
 * {@link IllegalStateException}. Events are delivered on the thread that made the change, one change at a
 * time per candidacy and in order, while the state itself is not locked (a listener may read it, and yield or
 * close); a listener that throws is logged and the others are still told.
 */
public abstract class AbstractLeadership implements Leadership {

    private static final Log logger = LogFactory.getLog(AbstractLeadership.class);

    private enum State { CANDIDATE, LEADER, CLOSED }

    private final String backend;
    private final String group;
    private final String memberId;
    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    /** Held by every change that delivers an event, while it delivers it: one change at a time, events in order. */
    private final ReentrantLock changes = new ReentrantLock();
    /** Guards the fields below together; never held while a listener runs. */
    private final Object monitor = new Object();
    /** Deliveries not yet made, and whether the thread holding {@link #changes} is making them; guarded by it. */
    private final Queue<Runnable> pending = new ArrayDeque<>();
    private boolean delivering;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile State state = State.CANDIDATE;
    private volatile long term;
    private volatile long validUntilNanos;
    private volatile boolean leaseless;
    private volatile boolean suspended;
    private volatile @Nullable String leader;

    protected AbstractLeadership(String backend, String group, String memberId) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.group = Identifiers.requireValid("group", group);
        this.memberId = Identifiers.requireValid("memberId", memberId);
    }

    @Override
    public final String group() {
        return group;
    }

    @Override
    public final String memberId() {
        return memberId;
    }

    /** The backend this election runs on. */
    public final String backend() {
        return backend;
    }

    @Override
    public final boolean isLeader() {
        return state == State.LEADER && !suspended && (leaseless || System.nanoTime() - validUntilNanos < 0);
    }

    @Override
    public final long term() {
        return term;
    }

    @Override
    public final Optional<String> leader() {
        return Optional.ofNullable(leader);
    }

    /** True until {@link #close()}: the backend should keep the candidacy in the election. */
    protected final boolean isOpen() {
        return state != State.CLOSED;
    }

    /** True while this candidacy holds a term that was neither revoked nor closed, trusted or not. */
    protected final boolean holdsTerm() {
        return state == State.LEADER;
    }

    /** The {@link System#nanoTime()} up to which the server's last confirmation vouches for the current term. */
    protected final long validUntilNanos() {
        return validUntilNanos;
    }

    @Override
    public final void addListener(LeadershipListener listener) {
        Objects.requireNonNull(listener, "listener");
        changes.lock();
        try {
            listeners.add(listener);
            if (state == State.LEADER) {
                long current = term;
                notify(List.of(listener), l -> l.granted(new LeadershipGrantedEvent(group, memberId, current)));
            }
        }
        finally {
            changes.unlock();
        }
    }

    /**
     * Records that this candidacy won {@code term}, trusted until {@code validUntilNanos} on
     * {@link System#nanoTime()} unless confirmed further, and tells the listeners.
     * @param validUntilNanos when the request that won the term was sent, plus the lease or session timeout, minus
     * the safety margin the backend's lock handles use too (never the time the answer arrived)
     * @return false, changing nothing, when the candidacy was closed meanwhile: {@link #leave()} runs or ran and
     * must give up what the server granted
     * @throws IllegalStateException when the term is not positive, not greater than this candidacy's latest, or
     * the candidacy already holds a term (revoke it first)
     */
    protected final boolean granted(long term, long validUntilNanos) {
        return grant(term, validUntilNanos, false);
    }

    /** {@link #granted(long, long)} for backends whose leadership cannot expire while the process lives (in-JVM). */
    protected final boolean granted(long term) {
        return grant(term, 0, true);
    }

    private boolean grant(long newTerm, long validUntil, boolean withoutExpiry) {
        changes.lock();
        try {
            synchronized (monitor) {
                if (state == State.CLOSED) {
                    return false;
                }
                if (state == State.LEADER) {
                    throw new IllegalStateException("Backend " + backend + " granted term " + newTerm + " of group '"
                            + group + "' to member '" + memberId + "', which still holds term " + term);
                }
                if (newTerm <= 0 || newTerm <= term) {
                    throw new IllegalStateException("Backend " + backend + " granted group '" + group + "' to member '"
                            + memberId + "' with term " + newTerm + ", which is not positive and greater than its "
                            + "latest term " + term);
                }
                term = newTerm;
                validUntilNanos = validUntil;
                leaseless = withoutExpiry;
                leader = memberId;
                state = State.LEADER;
            }
            notify(List.copyOf(listeners), l -> l.granted(new LeadershipGrantedEvent(group, memberId, newTerm)));
            return true;
        }
        finally {
            changes.unlock();
        }
    }

    /**
     * Moves the validity deadline of {@code term} forward (computed as for {@link #granted(long, long)}, from when
     * the confirming request was sent); a late, older confirmation never moves it back, and a
     * confirmation of a term this candidacy no longer holds changes nothing.
     * @return whether {@code term} is still the held term
     */
    protected final boolean confirmUntil(long term, long nanos) {
        synchronized (monitor) {
            if (state != State.LEADER || this.term != term) {
                return false;
            }
            if (nanos - validUntilNanos > 0) {
                validUntilNanos = nanos;
            }
            return true;
        }
    }

    /**
     * Makes {@link #isLeader()} false until {@link #resume()}, without ending the term, e.g. while the ZooKeeper
     * connection is suspended. A backend that gives the term up instead calls
     * {@link #revoked revoked(CONNECTION_SUSPENDED)}.
     */
    protected final void suspend() {
        suspended = true;
    }

    /** Ends a {@link #suspend()}: the connection is back with the same session, so the term still holds. */
    protected final void resume() {
        suspended = false;
    }

    /**
     * Records that the held term is over and tells the listeners; the candidacy stays a candidate.
     * @return false, changing nothing, when it held no term (already revoked, never granted, or closed)
     */
    protected final boolean revoked(LeadershipRevokedEvent.Reason reason) {
        Objects.requireNonNull(reason, "reason");
        return endTerm(State.CANDIDATE, reason) > 0;
    }

    /** Records who leads the group now, as the backend learned it; null when it knows of no leader. */
    protected final void leaderSeen(@Nullable String memberId) {
        leader = memberId;
    }

    /** Ends the held term and delivers the revoke; returns the ended term, or 0 if none was held. */
    private long endTerm(State next, LeadershipRevokedEvent.Reason reason) {
        changes.lock();
        try {
            long ended;
            synchronized (monitor) {
                if (state == State.CLOSED || (state == State.CANDIDATE && next == State.CANDIDATE)) {
                    return 0;
                }
                ended = state == State.LEADER ? term : 0;
                state = next;
                if (ended > 0 && memberId.equals(leader)) {
                    leader = null;
                }
            }
            if (ended > 0) {
                notify(List.copyOf(listeners), l -> l.revoked(new LeadershipRevokedEvent(group, memberId, ended, reason)));
            }
            return ended;
        }
        finally {
            changes.unlock();
        }
    }

    @Override
    public final void yieldLeadership() {
        long yielded = endTerm(State.CANDIDATE, LeadershipRevokedEvent.Reason.YIELDED);
        if (yielded > 0) {
            handOver(yielded);
        }
    }

    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        endTerm(State.CLOSED, LeadershipRevokedEvent.Reason.CLOSED);
        try {
            // on an interrupted thread too, the others may lead when close returns
            Interrupts.runClearingInterrupt(this::leave);
        }
        catch (RuntimeException ex) {
            // the lease (Redis) or session (ZooKeeper) still ends the candidacy; this member trusts nothing anymore
            logger.warn("Could not leave the election of group '" + group + "' on " + backend + " cleanly as member '"
                    + memberId + "'; another member leads once the lease or session ends", ex);
        }
    }

    /**
     * Gives the yielded {@code term} up on the server and lets another candidate lead at once, this member going
     * behind the others; called once per yield, after this member stopped trusting the term and its listeners
     * were told. If it is the only candidate, it is granted again.
     */
    protected abstract void handOver(long term);

    /**
     * Leaves the election on the server, giving up a held term at once; called once, from {@link #close()}, after
     * this member stopped trusting its leadership.
     */
    protected abstract void leave();

    /**
     * Delivers to {@code targets}; called with {@link #changes} held. A change made by a listener (a yield from a
     * grant) is delivered once the current event has reached every listener, so each listener sees the order of
     * the changes.
     */
    private void notify(List<LeadershipListener> targets, Consumer<LeadershipListener> call) {
        pending.add(() -> {
            for (LeadershipListener listener : targets) {
                try {
                    call.accept(listener);
                }
                catch (RuntimeException ex) {
                    logger.warn("Leadership listener failed for group '" + group + "', member '" + memberId + "' on "
                            + backend, ex);
                }
            }
        });
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            Runnable delivery;
            while ((delivery = pending.poll()) != null) {
                delivery.run();
            }
        }
        finally {
            delivering = false;
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[group='" + group + "', member='" + memberId + "', term=" + term
                + ", state=" + state.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
}
