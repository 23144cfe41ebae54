package dev.ringlock.lock;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * The observations of one backend's locks. Low-cardinality keys only name the backend, the lock's kind (and an
 * acquisition's outcome), so each gives a handful of meters; the lock key, which is unbounded, is a
 * high-cardinality key, for traces only.
 * <ul>
 * <li>{@value #ACQUIRE}: one acquisition, tagged {@code outcome} ({@code acquired}, {@code timeout},
 * {@code error}), {@code kind} and {@code backend};
 * <li>{@value #HELD}: a held lock, from acquisition to release or loss, tagged {@code kind} and {@code backend};
 * <li>{@value #LOST}: a lock found lost, an instant observation (its timer's count is the number of losses),
 * tagged {@code kind} and {@code backend}.
 * </ul>
 * {@code kind} is {@link LockRequest#kind()}: {@code write} (the exclusive lock), {@code read} or {@code permit}.
 * A lock on several keys ({@link LockTemplate#tryAcquireAll}) is observed as one acquisition and one hold per key.
 */
public final class LockObservations {

    public static final String ACQUIRE = "ringlock.lock.acquire";
    public static final String HELD = "ringlock.lock.held";
    public static final String LOST = "ringlock.lock.lost";

    public static final String OUTCOME_ACQUIRED = "acquired";
    public static final String OUTCOME_TIMEOUT = "timeout";
    public static final String OUTCOME_ERROR = "error";

    private static final KeyValue KIND_WRITE = KeyValue.of("kind", "write");
    private static final KeyValue KIND_READ = KeyValue.of("kind", "read");
    private static final KeyValue KIND_PERMIT = KeyValue.of("kind", "permit");

    private final ObservationRegistry registry;
    private final KeyValue backend;

    public LockObservations(ObservationRegistry registry, String backend) {
        this.registry = registry;
        this.backend = KeyValue.of("backend", backend);
    }

    /** The {@code kind} key of a request's observations; one of three shared constants, so nothing is allocated. */
    static KeyValue kind(LockRequest request) {
        return switch (request.kind()) {
            case "read" -> KIND_READ;
            case "permit" -> KIND_PERMIT;
            default -> KIND_WRITE;
        };
    }

    /** An acquisition, not started; the caller adds the outcome before stopping it. */
    Observation acquire(String key, KeyValue kind) {
        return Observation.createNotStarted(ACQUIRE, registry)
                .contextualName("ringlock lock acquire")
                .lowCardinalityKeyValue(backend)
                .lowCardinalityKeyValue(kind)
                .highCardinalityKeyValue("key", key);
    }

    /** A started observation of a lock held from now on; stopped from whichever thread ends the lock. */
    Observation held(String key, long fencingToken, KeyValue kind) {
        return Observation.createNotStarted(HELD, registry)
                .contextualName("ringlock lock held")
                .lowCardinalityKeyValue(backend)
                .lowCardinalityKeyValue(kind)
                .highCardinalityKeyValue("key", key)
                .highCardinalityKeyValue("fencing-token", Long.toString(fencingToken))
                .start();
    }

    /** Records one lost lock. */
    void lost(String key, long fencingToken, KeyValue kind) {
        Observation.createNotStarted(LOST, registry)
                .contextualName("ringlock lock lost")
                .lowCardinalityKeyValue(backend)
                .lowCardinalityKeyValue(kind)
                .highCardinalityKeyValue("key", key)
                .highCardinalityKeyValue("fencing-token", Long.toString(fencingToken))
                .start()
                .stop();
    }
}
