package dev.ringlock.leader;

/**
 * Joins leader elections as this instance's member id. One election per group name: the members of a group
 * are the instances that joined it, and at most one of them leads it at a time.
 */
public interface LeaderElection {

    /**
     * Becomes a candidate in {@code group}, or returns the candidacy this instance already has there: joining a
     * group twice gives the same {@link Leadership} until it is {@linkplain Leadership#close() closed}; a join
     * after that starts a new candidacy. The candidacy may be granted leadership at once or later; read
     * {@link Leadership#isLeader()} or add a {@link LeadershipListener}.
     * @throws IllegalArgumentException naming {@code group} when it is blank or otherwise unusable
     */
    Leadership join(String group);
}
