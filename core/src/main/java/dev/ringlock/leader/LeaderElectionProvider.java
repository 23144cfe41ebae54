package dev.ringlock.leader;

/**
 * The SPI each backend implements: start one candidacy of one member in one group's election.
 * <p>
 * Implementations must guarantee that at most one candidacy of a group is granted at a time, counting a
 * grant as ended only once its holder can no longer trust it (its lease or session is over by the holder's
 * own clock, or it yielded or closed), and must issue terms strictly increasing per group across members,
 * restarts and failovers. A yield or a close hands the leadership over at once; a leader that dies is
 * replaced once its lease or session ends. Candidacies are best built on {@link AbstractLeadership}, which
 * keeps the state, the local-clock validity and the events; the backend tells it what the server says.
 */
public interface LeaderElectionProvider {

    /** The backend's name as it appears in logs, metrics and errors: {@code redis}, {@code zookeeper}, {@code local}. */
    String backend();

    /**
     * Starts a new candidacy of {@code memberId} in {@code group}; every call starts another one, even for the
     * same member and group ({@link DefaultLeaderElection} keeps one per group). The candidacy may be granted
     * before this returns.
     * @throws IllegalArgumentException naming {@code group} or {@code memberId} when it is blank or unusable,
     * before anything reaches the server
     */
    Leadership join(String group, String memberId);
}
