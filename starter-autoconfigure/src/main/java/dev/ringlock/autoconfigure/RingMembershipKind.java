package dev.ringlock.autoconfigure;

import dev.ringlock.ring.DefaultHashRingRouter;
import dev.ringlock.ring.HashRingRouter;
import dev.ringlock.ring.Membership;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Names where a router's members come from ({@code static}, {@code zookeeper}, {@code redis}), for the
 * endpoint and the meters.
 */
public final class RingMembershipKind {

    private RingMembershipKind() {
    }

    /** The router's membership kind, or null when a router of the application's own does not tell. */
    public static @Nullable String of(HashRingRouter router, ObjectProvider<Membership> memberships) {
        if (router instanceof DefaultHashRingRouter defaults) {
            return defaults.backend();
        }
        Membership membership = memberships.getIfUnique();
        return membership == null ? null : membership.backend();
    }
}
