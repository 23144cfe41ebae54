/**
 * Leader election: {@link dev.ringlock.leader.LeaderElection} and the {@link dev.ringlock.leader.Leadership}
 * of one candidacy, {@link dev.ringlock.leader.LeaderOnly} methods, the grant and revoke events, and the
 * {@link dev.ringlock.leader.LeaderElectionProvider} SPI that each backend implements, with
 * {@link dev.ringlock.leader.AbstractLeadership} as its base. Nothing in this package knows a backend.
 * <p>
 * At most one member of a group trusts its leadership at any moment, and every term carries a fencing token
 * (its {@linkplain dev.ringlock.leader.Leadership#term() term}) strictly increasing per group.
 */
@NullMarked
package dev.ringlock.leader;

import org.jspecify.annotations.NullMarked;
