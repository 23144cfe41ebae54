package dev.ringlock.ring;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The router over a {@link StaticMembership}: snapshots, changes, and listeners that fail.
 */
class DefaultHashRingRouterTests {

    @Test
    void routesOnTheMembersAndJoinsItsSelfId() {
        DefaultHashRingRouter router = new DefaultHashRingRouter(new StaticMembership(List.of("a", "b")), "self",
                Duration.ofSeconds(1));
        assertThatThrownBy(() -> router.route("k")).as("before start").isInstanceOf(NoRouteException.class);
        router.start();
        HashRing expected = HashRing.of(Set.of("a", "b", "self"));
        assertThat(router.snapshot()).isEqualTo(expected);
        assertThat(router.route("tenant-7")).isEqualTo(expected.nodeFor("tenant-7"));
        assertThat(router.route("tenant-7", 2)).isEqualTo(expected.nodesFor("tenant-7", 2));
        router.stop();
        assertThat(router.isRunning()).isFalse();
    }

    @Test
    void listenersGetEachChangeAndAFailingListenerDoesNotStopTheOthers() {
        StaticMembership membership = new StaticMembership(List.of("a", "b", "c"));
        DefaultHashRingRouter router = new DefaultHashRingRouter(membership, null, Duration.ofSeconds(1));
        List<RingChange> changes = new CopyOnWriteArrayList<>();
        router.addListener(change -> {
            throw new IllegalStateException("a broken listener");
        });
        router.addListener(changes::add);
        router.start();
        HashRing snapshotBefore = router.snapshot();

        membership.join("d");
        membership.leave("a");

        assertThat(changes).hasSize(3);
        assertThat(changes.get(0).added()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(changes.get(1).added()).containsExactly("d");
        assertThat(changes.get(1).movedFraction()).isEqualTo(0.25);
        assertThat(changes.get(2).removed()).containsExactly("a");
        assertThat(changes.get(2).current()).isEqualTo(router.snapshot());
        assertThat(snapshotBefore.nodes()).as("an old snapshot never changes").containsExactly("a", "b", "c");
    }

    @Test
    void movedFractionIsTheChangedNodesShareOfBothRings() {
        HashRing before = HashRing.builder().node("a").node("b").node("c", 2).build();
        HashRing after = HashRing.builder().node("a").node("c", 4).node("d").build();
        RingChange change = RingChange.between(before, after);
        assertThat(change.added()).containsExactly("d");
        assertThat(change.removed()).containsExactly("b");
        // changed: b (1), c (max 4), d (1) over a 1 + b 1 + c 4 + d 1
        assertThat(change.movedFraction()).isEqualTo(6.0 / 7);
        assertThat(RingChange.between(before, before).isEmpty()).isTrue();
    }
}
