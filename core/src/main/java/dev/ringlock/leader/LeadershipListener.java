package dev.ringlock.leader;

/**
 * Told of the grants and revokes of one {@link Leadership}, in the order they happened. Called on the thread
 * that made the change (a backend's event thread, or the caller of {@link Leadership#yieldLeadership()} or
 * {@link Leadership#close()}), one change at a time: the next change of the candidacy waits for the listeners of
 * the previous one. A listener may read the leadership and yield or close it; it must not block. A listener that throws is logged and does not keep the
 * others from being told.
 */
public interface LeadershipListener {

    /** This member was granted leadership for the event's term. */
    default void granted(LeadershipGrantedEvent event) {
    }

    /** This member's term ended; {@link Leadership#isLeader()} was already false when this is called. */
    default void revoked(LeadershipRevokedEvent event) {
    }
}
