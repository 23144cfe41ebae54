package dev.ringlock.lock;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.ringlock.lock.LockHandle;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * A backend's handle, listed in {@link HeldLocks} and (with observations) timed as
 * {@code ringlock.lock.held} from its acquisition until its release or loss.
 */
public final class TrackedLockHandle implements LockHandle {

    private final LockHandle delegate;
    private final HeldLocks.Id id;
    private final Instant since;
    private final HeldLocks registry;
    private final @Nullable LockObservations observations;
    private final @Nullable Observation held;

    TrackedLockHandle(LockHandle delegate, HeldLocks registry, @Nullable LockObservations observations) {
        this.delegate = delegate;
        this.id = new HeldLocks.Id(delegate.key(), delegate.fencingToken());
        this.since = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        this.registry = registry;
        this.observations = observations;
        this.held = observations == null ? null : observations.held(delegate.key(), delegate.fencingToken());
    }

    HeldLocks.Id id() {
        return id;
    }

    /** When this instance acquired the lock. */
    public Instant since() {
        return since;
    }

    @Override
    public String key() {
        return id.key();
    }

    @Override
    public long fencingToken() {
        return id.fencingToken();
    }

    @Override
    public boolean isValid() {
        return delegate.isValid();
    }

    @Override
    public void close() {
        try {
            delegate.close();
        }
        finally {
            // after the backend's release, which may itself report the lock lost (and end the tracking)
            end(false);
        }
    }

    /** Called when the backend reports this lock lost. */
    void lost() {
        end(true);
    }

    private void end(boolean lost) {
        if (!registry.remove(this)) {
            return;
        }
        if (held != null) {
            held.stop();
        }
        if (lost && observations != null) {
            observations.lost(id.key(), id.fencingToken());
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
