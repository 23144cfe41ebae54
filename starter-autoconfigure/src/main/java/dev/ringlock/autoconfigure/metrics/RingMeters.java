package dev.ringlock.autoconfigure.metrics;

import java.util.function.Consumer;

import dev.ringlock.ring.HashRingRouter;
import dev.ringlock.ring.RingChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ring's meters, tagged {@code membership} ({@code static}, {@code zookeeper}, {@code redis}):
 * {@value #MEMBERS}, a gauge of the current member count, and {@value #CHANGES}, a counter incremented once
 * per change of the ring (a counter rather than an observation: a change is an instant, with no duration).
 */
public final class RingMeters implements Consumer<RingChange> {

    public static final String MEMBERS = "ringlock.ring.members";
    public static final String CHANGES = "ringlock.ring.changes";

    private final Counter changes;

    /** Registers the meters and starts counting the router's changes. */
    RingMeters(MeterRegistry registry, HashRingRouter router, String membership) {
        Gauge.builder(MEMBERS, router, live -> live.snapshot().size())
                .description("The number of members of the consistent-hash ring")
                .tag("membership", membership)
                .register(registry);
        this.changes = Counter.builder(CHANGES)
                .description("Changes of the consistent-hash ring's membership")
                .tag("membership", membership)
                .register(registry);
        router.addListener(this);
    }

    @Override
    public void accept(RingChange change) {
        changes.increment();
    }
}
