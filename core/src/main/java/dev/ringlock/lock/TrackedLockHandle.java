package dev.ringlock.lock;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * A backend's handle, listed in {@link HeldLocks} and (with observations) timed as
 * {@code ringlock.lock.held} from its acquisition until its release or loss. It keeps the kind it was acquired
 * as, which {@link LockHandle} itself does not carry.
 */
public final class TrackedLockHandle implements LockHandle {

    private final LockHandle delegate;
    private final HeldLocks.Id id;
    private final Instant since;
    private final KeyValue kind;
    private final int permits;
    private final HeldLocks registry;
    private final @Nullable LockObservations observations;
    private final @Nullable Observation held;

    TrackedLockHandle(LockHandle delegate, LockRequest request, HeldLocks registry,
            @Nullable LockObservations observations) {
        this.delegate = delegate;
        this.id = new HeldLocks.Id(delegate.key(), delegate.fencingToken());
        this.since = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        this.kind = LockObservations.kind(request);
        this.permits = request.permits();
        this.registry = registry;
        this.observations = observations;
        this.held = observations == null ? null : observations.held(delegate.key(), delegate.fencingToken(), kind);
    }

    HeldLocks.Id id() {
        return id;
    }

    /** When this instance acquired the lock. */
    public Instant since() {
        return since;
    }

    /** The kind it was acquired as: {@code write}, {@code read} or {@code permit} ({@link LockRequest#kind()}). */
    public String kind() {
        return kind.getValue();
    }

    /** How many holders its key admits at once: 1 except for a permit lock. */
    public int permits() {
        return permits;
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
            observations.lost(id.key(), id.fencingToken(), kind);
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
