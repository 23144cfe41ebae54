package dev.ringlock.lock;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import dev.ringlock.support.Interrupts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The state every backend's handle shares: held, released or lost, and the local deadline up to which
 * the server's last confirmation vouches for the lock.
 * <p>
 * Validity is judged on {@link System#nanoTime()} alone, so a thread that resumes after a freeze sees an
 * expired deadline before any watchdog or connection event has had a chance to run. Backends move the
 * deadline forward with {@link #confirmUntil(long)} each time the server confirms the lease or session,
 * and call {@link #markLost(String)} when they learn the lock is gone.
 */
public abstract class AbstractLockHandle implements LockHandle {

    private static final Log logger = LogFactory.getLog(AbstractLockHandle.class);

    private static final int HELD = 0;
    private static final int RELEASED = 1;
    private static final int LOST = 2;

    private final String backend;
    private final String key;
    private final long fencingToken;
    private final LockLossListener lossListener;
    private final AtomicInteger state = new AtomicInteger(HELD);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean leaseless;
    private volatile long validUntilNanos;
    private static final AtomicLongFieldUpdater<AbstractLockHandle> VALID_UNTIL =
            AtomicLongFieldUpdater.newUpdater(AbstractLockHandle.class, "validUntilNanos");
    private volatile boolean suspended;
    /** Set by {@link #close()} when it ended a lock not known to be lost; read by {@link #release()} on the same thread. */
    private boolean closedWhileHeld;

    /**
     * @param validUntilNanos the {@link System#nanoTime()} up to which the acquisition vouches for the lock
     */
    protected AbstractLockHandle(String backend, String key, long fencingToken, long validUntilNanos,
            LockLossListener lossListener) {
        this(backend, key, fencingToken, validUntilNanos, false, lossListener);
    }

    /** For backends whose locks cannot expire while the process lives (in-JVM locks). */
    protected AbstractLockHandle(String backend, String key, long fencingToken, LockLossListener lossListener) {
        this(backend, key, fencingToken, 0, true, lossListener);
    }

    private AbstractLockHandle(String backend, String key, long fencingToken, long validUntilNanos, boolean leaseless,
            LockLossListener lossListener) {
        if (fencingToken <= 0) {
            throw new IllegalStateException("Backend " + backend + " issued a non-positive fencing token " + fencingToken
                    + " for lock '" + key + "'");
        }
        this.backend = backend;
        this.key = key;
        this.fencingToken = fencingToken;
        this.validUntilNanos = validUntilNanos;
        this.leaseless = leaseless;
        this.lossListener = lossListener;
    }

    @Override
    public final String key() {
        return key;
    }

    @Override
    public final long fencingToken() {
        return fencingToken;
    }

    /** The backend this lock lives on. */
    public final String backend() {
        return backend;
    }

    @Override
    public boolean isValid() {
        return state.get() == HELD && !suspended && (leaseless || System.nanoTime() - validUntilNanos < 0);
    }

    /** True while neither released nor known lost: the backend should keep the lock alive. */
    protected final boolean isHeld() {
        return state.get() == HELD;
    }

    /** The {@link System#nanoTime()} up to which the server's last confirmation vouches for the lock. */
    protected final long validUntilNanos() {
        return validUntilNanos;
    }

    /** Moves the validity deadline forward; a late, older confirmation never moves it back. */
    protected final void confirmUntil(long nanos) {
        // a compare-and-set loop, not a monitor: a renewal and a confirmation racing never block a (virtual) thread
        long current;
        do {
            current = validUntilNanos;
            if (nanos - current <= 0) {
                return;
            }
        }
        while (!VALID_UNTIL.compareAndSet(this, current, nanos));
    }

    /** Marks the lock untrusted until {@link #resume()}, e.g. while the ZooKeeper connection is suspended. */
    protected final void suspend() {
        suspended = true;
    }

    protected final void resume() {
        suspended = false;
    }

    /**
     * Records that the lock is gone and tells the loss listener, once.
     * @return true if this call marked it lost
     */
    protected final boolean markLost(String reason) {
        if (!state.compareAndSet(HELD, LOST)) {
            return false;
        }
        onLost();
        notifyLost(reason);
        return true;
    }

    /**
     * Records, from {@link #release()}, that the server no longer had the lock when it was released: it was
     * lost before, unnoticed (a frozen holder past its lease, a session that expired while the connection
     * was suspended). Tells the loss listener, unless the loss was reported already.
     */
    protected final void lostBeforeRelease(String reason) {
        if (closedWhileHeld) {
            closedWhileHeld = false;
            notifyLost(reason);
        }
    }

    private void notifyLost(String reason) {
        try {
            lossListener.lockLost(new LockLostEvent(key, fencingToken, backend, reason));
        }
        catch (RuntimeException ex) {
            logger.warn("Lock-loss listener failed for lock '" + key + "' on " + backend, ex);
        }
    }

    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closedWhileHeld = state.compareAndSet(HELD, RELEASED);
        try {
            // on an interrupted thread too, the lock is free on the server when close returns
            Interrupts.runClearingInterrupt(this::release);
        }
        catch (RuntimeException ex) {
            // The lease (Redis) or session (ZooKeeper) still ends the lock; the caller's work is done either way.
            logger.warn("Could not release lock '" + key + "' on " + backend + "; it ends when its lease or session does", ex);
        }
    }

    /** Releases the lock on the server; called once, from {@link #close()}, also after a loss. */
    protected abstract void release();

    /** Stops keeping the lock alive after a loss; called once. */
    protected void onLost() {
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[key='" + key + "', token=" + fencingToken + ", state="
                + switch (state.get()) { case HELD -> "held"; case RELEASED -> "released"; default -> "lost"; } + "]";
    }
}
