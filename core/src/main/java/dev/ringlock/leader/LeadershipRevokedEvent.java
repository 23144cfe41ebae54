package dev.ringlock.leader;

import java.util.Objects;

/**
 * Published (as a Spring application event, and to each {@link LeadershipListener}) when a member's term
 * ends. The member stopped trusting its leadership before this event: {@link Leadership#isLeader()} was
 * already false. Unless the reason is {@link Reason#CLOSED}, the member stays a candidate and may be granted a
 * later term.
 */
public final class LeadershipRevokedEvent {

    /** Why a term ended. */
    public enum Reason {
        /** The member stepped down with {@link Leadership#yieldLeadership()}. */
        YIELDED,
        /**
         * The server no longer holds the leadership for this term while the member's connection or session lives:
         * on Redis the lease was not renewed in time or the key is gone or another term's; on ZooKeeper someone
         * else deleted the leader's node.
         */
        LEASE_LOST,
        /** The session that held the leadership ended: it expired, or its client was closed (ZooKeeper). */
        SESSION_EXPIRED,
        /** The connection to the server was suspended and the backend gave up the term rather than wait. */
        CONNECTION_SUSPENDED,
        /** The member left the election with {@link Leadership#close()}. */
        CLOSED
    }

    private final String group;
    private final String memberId;
    private final long term;
    private final Reason reason;

    public LeadershipRevokedEvent(String group, String memberId, long term, Reason reason) {
        this.group = Objects.requireNonNull(group, "group");
        this.memberId = Objects.requireNonNull(memberId, "memberId");
        this.term = term;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The group, without prefix. */
    public String group() {
        return group;
    }

    /** The member whose term ended. */
    public String memberId() {
        return memberId;
    }

    /** The term that ended. */
    public long term() {
        return term;
    }

    /** Why it ended. */
    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "LeadershipRevokedEvent[group='" + group + "', member='" + memberId + "', term=" + term + ", reason="
                + reason + "]";
    }
}
