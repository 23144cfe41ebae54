package dev.ringlock.lock;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * The observations of one backend's locks. Low-cardinality keys only name the backend (and an
 * acquisition's outcome), so each gives a handful of meters; the lock key, which is unbounded, is a
 * high-cardinality key, for traces only.
 * <ul>
 * <li>{@value #ACQUIRE}: one acquisition, tagged {@code outcome} ({@code acquired}, {@code timeout},
 * {@code error}) and {@code backend};
 * <li>{@value #HELD}: a held lock, from acquisition to release or loss, tagged {@code backend};
 * <li>{@value #LOST}: a lock found lost, an instant observation (its timer's count is the number of losses),
 * tagged {@code backend}.
 * </ul>
 */
public final class LockObservations {

    public static final String ACQUIRE = "ringlock.lock.acquire";
    public static final String HELD = "ringlock.lock.held";
    public static final String LOST = "ringlock.lock.lost";

    public static final String OUTCOME_ACQUIRED = "acquired";
    public static final String OUTCOME_TIMEOUT = "timeout";
    public static final String OUTCOME_ERROR = "error";

    private final ObservationRegistry registry;
    private final KeyValue backend;

    public LockObservations(ObservationRegistry registry, String backend) {
        this.registry = registry;
        this.backend = KeyValue.of("backend", backend);
    }

    /** An acquisition, not started; the caller adds the outcome before stopping it. */
    Observation acquire(String key) {
        return Observation.createNotStarted(ACQUIRE, registry)
                .contextualName("ringlock lock acquire")
                .lowCardinalityKeyValue(backend)
                .highCardinalityKeyValue("key", key);
    }

    /** A started observation of a lock held from now on; stopped from whichever thread ends the lock. */
    Observation held(String key, long fencingToken) {
        return Observation.createNotStarted(HELD, registry)
                .contextualName("ringlock lock held")
                .lowCardinalityKeyValue(backend)
                .highCardinalityKeyValue("key", key)
                .highCardinalityKeyValue("fencing-token", Long.toString(fencingToken))
                .start();
    }

    /** Records one lost lock. */
    void lost(String key, long fencingToken) {
        Observation.createNotStarted(LOST, registry)
                .contextualName("ringlock lock lost")
                .lowCardinalityKeyValue(backend)
                .highCardinalityKeyValue("key", key)
                .highCardinalityKeyValue("fencing-token", Long.toString(fencingToken))
                .start()
                .stop();
    }
}
