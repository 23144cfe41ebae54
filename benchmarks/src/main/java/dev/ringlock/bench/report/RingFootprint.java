package dev.ringlock.bench.report;

import dev.ringlock.bench.ring.RingShapes;
import org.openjdk.jol.info.GraphLayout;

/** Retained size of each contender's ring, everything reachable from it, measured with JOL. */
final class RingFootprint {

    private RingFootprint() {
    }

    static long ringlock(int nodes) {
        return GraphLayout.parseInstance(RingShapes.ringlock(nodes)).totalSize();
    }

    static long ringlockRendezvous(int nodes) {
        return GraphLayout.parseInstance(RingShapes.ringlockRendezvous(nodes)).totalSize();
    }

    static long ketama(int nodes) {
        return GraphLayout.parseInstance(RingShapes.ketama(nodes)).totalSize();
    }

    static long guava(int nodes) {
        return GraphLayout.parseInstance((Object) RingShapes.guava(nodes)).totalSize();
    }
}
