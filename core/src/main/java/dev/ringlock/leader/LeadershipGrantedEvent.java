package dev.ringlock.leader;

import java.util.Objects;

/**
 * Published (as a Spring application event, and to each {@link LeadershipListener}) when a member is granted
 * leadership of a group. Its term is the fencing token of the new term: greater than every earlier term of
 * the group.
 */
public final class LeadershipGrantedEvent {

    private final String group;
    private final String memberId;
    private final long term;

    public LeadershipGrantedEvent(String group, String memberId, long term) {
        this.group = Objects.requireNonNull(group, "group");
        this.memberId = Objects.requireNonNull(memberId, "memberId");
        this.term = term;
    }

    /** The group, without prefix. */
    public String group() {
        return group;
    }

    /** The member now leading. */
    public String memberId() {
        return memberId;
    }

    /** The new term. */
    public long term() {
        return term;
    }

    @Override
    public String toString() {
        return "LeadershipGrantedEvent[group='" + group + "', member='" + memberId + "', term=" + term + "]";
    }
}
