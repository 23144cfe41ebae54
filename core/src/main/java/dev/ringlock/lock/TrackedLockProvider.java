package dev.ringlock.lock;

import java.util.Optional;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Wraps the provider behind the auto-configured {@code LockTemplate}: lists every handle it gives in
 * {@link HeldLocks} (for the actuator endpoint) and, when the application observes, observes acquisitions
 * and holds through {@link LockObservations}.
 */
public final class TrackedLockProvider implements LockProvider {

    private final LockProvider delegate;
    private final HeldLocks heldLocks;
    private final @Nullable LockObservations observations;

    public TrackedLockProvider(LockProvider delegate, HeldLocks heldLocks, @Nullable LockObservations observations) {
        this.delegate = delegate;
        this.heldLocks = heldLocks;
        this.observations = observations;
    }

    /** The backend's own provider. */
    public LockProvider delegate() {
        return delegate;
    }

    @Override
    public String backend() {
        return delegate.backend();
    }

    @Override
    public boolean supports(LockRequest request) {
        return delegate.supports(request);
    }

    @Override
    public Optional<LockHandle> tryAcquire(LockRequest request) throws InterruptedException {
        if (observations == null) {
            return delegate.tryAcquire(request).map(handle -> track(handle, request));
        }
        Observation observation = observations.acquire(request.key(), LockObservations.kind(request)).start();
        String outcome = LockObservations.OUTCOME_ERROR;
        try (Observation.Scope ignored = observation.openScope()) {
            Optional<LockHandle> handle = delegate.tryAcquire(request);
            outcome = handle.isPresent() ? LockObservations.OUTCOME_ACQUIRED : LockObservations.OUTCOME_TIMEOUT;
            return handle.map(acquired -> track(acquired, request));
        }
        catch (InterruptedException | RuntimeException | Error ex) {
            observation.error(ex);
            throw ex;
        }
        finally {
            observation.lowCardinalityKeyValue("outcome", outcome);
            observation.stop();
        }
    }

    private LockHandle track(LockHandle handle, LockRequest request) {
        // A loss reported before this point finds nothing to end; the lock is then listed (as not valid)
        // until it is closed.
        TrackedLockHandle tracked = new TrackedLockHandle(handle, request, heldLocks, observations);
        heldLocks.add(tracked);
        return tracked;
    }
}
