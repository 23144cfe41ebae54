package dev.ringlock.testsupport.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.ringlock.ring.DefaultHashRingRouter;
import dev.ringlock.ring.Membership;
import dev.ringlock.ring.RingChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract of every live {@link Membership}: routers on separate clients (standing for separate
 * instances) see members join and leave within bounded times, and routing never fails or stalls while
 * membership churns. One subclass per backend.
 */
public abstract class AbstractMembershipContractTests {

    private static final Duration INITIAL_WAIT = Duration.ofSeconds(10);

    private final List<DefaultHashRingRouter> routers = new CopyOnWriteArrayList<>();

    /** A membership on a client of its own, as a separate instance would have. */
    protected abstract Membership createMembership();

    /** Ends {@code membership}'s instance without a clean shutdown: its session closes, or its heartbeats stop. */
    protected abstract void kill(Membership membership);

    /** Frees what {@link #createMembership()} made, after the router stopped. */
    protected abstract void release(Membership membership);

    /** How long after a member dies the others may still list it, before the 2 s allowance. */
    protected abstract Duration deathDetection();

    @AfterEach
    void stopRouters() {
        for (DefaultHashRingRouter router : routers) {
            try {
                router.stop();
            }
            catch (RuntimeException ignore) {
                // a killed member's client is closed; it has nothing left to stop
            }
            release(router.membership());
        }
        routers.clear();
    }

    @Test
    void threeRoutersSeeAFourthMemberJoinWithinTwoSeconds() {
        List<DefaultHashRingRouter> three = List.of(router("member-1"), router("member-2"), router("member-3"));
        awaitMembers(three, Duration.ofSeconds(5), "member-1", "member-2", "member-3");
        List<RingChange> changes = new CopyOnWriteArrayList<>();
        three.get(0).addListener(changes::add);

        router("member-4");

        awaitMembers(three, Duration.ofSeconds(2), "member-1", "member-2", "member-3", "member-4");
        assertThat(changes).last().satisfies(change -> {
            assertThat(change.added()).containsExactly("member-4");
            assertThat(change.removed()).isEmpty();
            assertThat(change.movedFraction()).isEqualTo(0.25);
        });
    }

    @Test
    void aMemberThatDiesIsDroppedWithinItsDetectionTimePlusTwoSeconds() {
        List<DefaultHashRingRouter> three = List.of(router("member-1"), router("member-2"), router("member-3"));
        DefaultHashRingRouter fourth = router("member-4");
        awaitMembers(three, Duration.ofSeconds(5), "member-1", "member-2", "member-3", "member-4");

        kill(fourth.membership());

        awaitMembers(three, deathDetection().plusSeconds(2), "member-1", "member-2", "member-3");
    }

    @Test
    void aMemberThatShutsDownCleanlyIsDroppedAtOnce() {
        List<DefaultHashRingRouter> three = List.of(router("member-1"), router("member-2"), router("member-3"));
        DefaultHashRingRouter fourth = router("member-4");
        awaitMembers(three, Duration.ofSeconds(5), "member-1", "member-2", "member-3", "member-4");
        List<RingChange> changes = new CopyOnWriteArrayList<>();
        three.get(1).addListener(changes::add);

        fourth.stop();

        // well inside any member timeout: the leave itself is announced
        awaitMembers(three, Duration.ofSeconds(1), "member-1", "member-2", "member-3");
        assertThat(changes).last().satisfies(change -> assertThat(change.removed()).containsExactly("member-4"));
    }

    @Test
    void routingNeverFailsOrStallsWhileMembershipChurns() throws Exception {
        List<DefaultHashRingRouter> stable = List.of(router("member-1"), router("member-2"), router("member-3"));
        awaitMembers(stable, Duration.ofSeconds(5), "member-1", "member-2", "member-3");
        AtomicBoolean churning = new AtomicBoolean(true);
        AtomicLong routed = new AtomicLong();
        ExecutorService routing = Executors.newFixedThreadPool(2);
        List<Future<?>> routes = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            DefaultHashRingRouter router = stable.get(t);
            routes.add(routing.submit(() -> {
                long k = 0;
                while (churning.get()) {
                    String owner = router.route("key-" + k++);
                    assertThat(owner).matches("member-\\d|churn-\\d");
                    routed.incrementAndGet();
                }
                return null;
            }));
        }
        try {
            for (int cycle = 0; cycle < 6; cycle++) {
                long before = routed.get();
                DefaultHashRingRouter extra = router("churn-" + cycle);
                awaitMembers(stable.subList(0, 2), Duration.ofSeconds(2), "member-1", "member-2", "member-3",
                        "churn-" + cycle);
                extra.stop();
                awaitMembers(stable.subList(0, 2), Duration.ofSeconds(2), "member-1", "member-2", "member-3");
                // the routing threads kept going through the join and the leave
                for (Future<?> route : routes) {
                    if (route.isDone()) {
                        route.get(); // rethrows why it stopped
                    }
                }
                assertThat(routed.get()).as("routes during churn cycle %d", cycle).isGreaterThan(before);
            }
        }
        finally {
            churning.set(false);
            routing.shutdown();
        }
        for (Future<?> route : routes) {
            route.get(); // rethrows a failed route
        }
    }

    /** A started router with its own membership client, joined as {@code selfId}. */
    protected DefaultHashRingRouter router(String selfId) {
        DefaultHashRingRouter router = new DefaultHashRingRouter(createMembership(), selfId, INITIAL_WAIT);
        routers.add(router);
        router.start();
        return router;
    }

    private static void awaitMembers(List<DefaultHashRingRouter> routers, Duration within, String... members) {
        await().atMost(within).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            for (DefaultHashRingRouter router : routers) {
                assertThat(router.snapshot().nodes()).as("members seen by %s", router.selfId())
                        .isEqualTo(Set.of(members));
            }
        });
    }
}
