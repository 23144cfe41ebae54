package dev.ringlock.leader;

import java.util.Optional;

/**
 * One member's candidacy in one group's election, from its join until {@link #close()}. While it is open the
 * member stays a candidate: it may be granted leadership, lose it (a yield, a lost lease or session), and be
 * granted it again, each time with a new term.
 * <p>
 * <b>At most one trusted leader.</b> At any moment at most one member of a group sees {@link #isLeader()}
 * {@code true}. That judgement needs no network: it is made on {@link System#nanoTime()} from the server's last
 * confirmation of the lease or session, minus a safety margin, so a leader that was frozen (GC pause, SIGSTOP)
 * past its lease or session sees {@code false} the moment it resumes, before any event has run.
 * <p>
 * <b>Terms are fencing tokens.</b> Every term of a group has a positive number strictly greater than every
 * earlier term of the group, across members, restarts and failovers. A leader passes {@link #term()} to the
 * resources it writes, and a resource refuses a term lower than the last it saw, exactly as with a lock's
 * fencing token.
 * <p>
 * All methods may be called from any thread; none but {@link #yieldLeadership()} and {@link #close()} talks to
 * the server.
 */
public interface Leadership extends AutoCloseable {

    /** The group this candidacy is in, as the application named it (without the key prefix). */
    String group();

    /** This member's id in the election. */
    String memberId();

    /**
     * Whether this member may trust that it leads the group now. False before the first grant, after a revoke or
     * {@link #close()}, while the connection is suspended, and once the lease or session may have ended by the
     * local monotonic clock, even if no event has said so yet.
     */
    boolean isLeader();

    /**
     * The term of this member's current leadership, or of its latest one after it ended; 0 before its first
     * grant. Positive and strictly increasing across every term of the group.
     */
    long term();

    /** The member that leads the group now, as this member last saw it; empty when it saw none. */
    Optional<String> leader();

    /**
     * Steps down, staying a candidate: if this member leads, it stops trusting its leadership
     * ({@link #isLeader()} is false when this returns), a {@link LeadershipRevokedEvent} with
     * {@link LeadershipRevokedEvent.Reason#YIELDED} is delivered, and the leadership is handed to another
     * candidate at once, this member going behind the others. If it is the only candidate, it is granted a new
     * term. Does nothing when this member does not lead.
     */
    void yieldLeadership();

    /**
     * Adds a listener for this candidacy's grants and revokes. A listener added while this member leads is told
     * of the current term at once, so every revoke it sees follows the grant of that term.
     */
    void addListener(LeadershipListener listener);

    /**
     * Leaves the election: if this member leads, it stops trusting its leadership, a revoke with
     * {@link LeadershipRevokedEvent.Reason#CLOSED} is delivered, and the leadership is handed to another candidate
     * at once. Idempotent; {@link #term()} keeps the latest term afterwards. On an interrupted thread too: the
     * hand-over still waits for the server, and the interrupt flag is still set when this returns.
     */
    @Override
    void close();
}
