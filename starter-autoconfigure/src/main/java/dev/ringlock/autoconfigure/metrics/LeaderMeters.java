package dev.ringlock.autoconfigure.metrics;

import java.util.Locale;

import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.leader.Leadership;
import dev.ringlock.leader.LeadershipGrantedEvent;
import dev.ringlock.leader.LeadershipRevokedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * This instance's leader-election meters, tagged {@code group} (never the member id, so that the meters of
 * a group keep their identity across instances and restarts): {@value #LEADING}, a gauge that is 1 while this
 * instance's candidacy in the group {@linkplain Leadership#isLeader() trusts its leadership} and 0 otherwise,
 * registered for every group the election joins, now or later; {@value #GRANTS}, a counter of the grants this
 * instance received; and {@value #REVOKES}, a counter of its revokes, also tagged {@code reason} (the
 * {@link LeadershipRevokedEvent.Reason} in lower case, words joined by hyphens: {@code yielded},
 * {@code lease-lost}, {@code session-expired}, {@code connection-suspended}, {@code closed}). Counters rather
 * than observations: a grant or a revoke is an instant, with no duration. The counters are fed from the
 * published {@link LeadershipGrantedEvent}s and {@link LeadershipRevokedEvent}s of this instance's member.
 */
public final class LeaderMeters {

    public static final String LEADING = "ringlock.leader.leading";
    public static final String GRANTS = "ringlock.leader.grants";
    public static final String REVOKES = "ringlock.leader.revokes";

    private final MeterRegistry registry;
    private final DefaultLeaderElection election;

    /** Registers the gauge of every group the election has joined and will join. */
    LeaderMeters(MeterRegistry registry, DefaultLeaderElection election) {
        this.registry = registry;
        this.election = election;
        election.addJoinListener(candidacy -> register(candidacy.group()));
    }

    private void register(String group) {
        // the gauge reads whichever candidacy the election has in the group now, so a group left and joined
        // again keeps one gauge; registering an existing one returns it
        Gauge.builder(LEADING, election, joined -> leads(joined, group))
                .description("1 while this instance leads the group, 0 otherwise")
                .tag("group", group)
                .register(registry);
        grants(group);
    }

    private static double leads(DefaultLeaderElection election, String group) {
        for (Leadership candidacy : election.joined()) {
            if (candidacy.group().equals(group) && candidacy.isLeader()) {
                return 1;
            }
        }
        return 0;
    }

    /** Counts a grant to this instance's member. */
    void granted(LeadershipGrantedEvent event) {
        if (election.memberId().equals(event.memberId())) {
            grants(event.group()).increment();
        }
    }

    /** Counts a revoke of this instance's member. */
    void revoked(LeadershipRevokedEvent event) {
        if (election.memberId().equals(event.memberId())) {
            Counter.builder(REVOKES)
                    .description("Terms of this instance's leadership that ended, by reason")
                    .tag("group", event.group())
                    .tag("reason", reason(event.reason()))
                    .register(registry)
                    .increment();
        }
    }

    private Counter grants(String group) {
        return Counter.builder(GRANTS)
                .description("Terms of leadership this instance was granted")
                .tag("group", group)
                .register(registry);
    }

    /** {@code LEASE_LOST} as {@code lease-lost}, as the other meters' tag values are written. */
    static String reason(LeadershipRevokedEvent.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
