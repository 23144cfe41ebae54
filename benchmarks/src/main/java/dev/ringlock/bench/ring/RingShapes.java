package dev.ringlock.bench.ring;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

import dev.ringlock.ring.HashRing;
import dev.ringlock.ring.RingHash;
import dev.ringlock.ring.RingRoute;

/** The contenders' ring structures, for the report's memory measurement. */
public final class RingShapes {

    private RingShapes() {
    }

    public static Object ringlock(int nodes) {
        return Routers.ringlockRing(Routers.nodeIds(nodes));
    }

    public static Object ringlockRendezvous(int nodes) {
        return HashRing.of(Routers.nodeIds(nodes), RingRoute.RENDEZVOUS);
    }

    /**
     * The largest number of the 2^23 slots one node of a {@code nodes}-node default ring owns, over the
     * average: the peak-to-average load of uniformly hashed keys, exactly (no key sampling noise).
     */
    public static double slotPeakToAverage(int nodes) {
        HashRing ring = HashRing.of(Routers.nodeIds(nodes));
        Map<String, Integer> index = new HashMap<>();
        for (String node : ring.nodes()) {
            index.put(node, index.size());
        }
        int[] counts = new int[nodes];
        for (int slot = 0; slot < RingHash.SLOTS; slot++) {
            counts[index.get(ring.nodeForSlot(slot))]++;
        }
        return IntStream.of(counts).max().orElseThrow() / ((double) RingHash.SLOTS / nodes);
    }

    public static Object ketama(int nodes) {
        return new KetamaRing(Routers.nodeIds(nodes));
    }

    /** All jump hashing keeps: the node ids. */
    public static Object[] guava(int nodes) {
        return Routers.nodeIds(nodes).toArray(String[]::new);
    }
}
