package dev.ringlock.bench.ring;

import java.util.ArrayList;
import java.util.List;

import com.google.common.hash.Hashing;
import dev.ringlock.ring.HashRing;
import dev.ringlock.ring.RingHash;
import dev.ringlock.ring.RingRoute;

/** The ring contenders by the names the benchmarks' {@code impl} parameter uses. */
final class Routers {

    private Routers() {
    }

    static List<String> nodeIds(int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add("cache-" + i + ".example.internal:11211");
        }
        return ids;
    }

    static Router create(String impl, List<String> nodes) {
        return switch (impl) {
            case "ringlock" -> ringlock(nodes);
            case "ringlock-rendezvous" -> ringlock(HashRing.of(nodes, RingRoute.RENDEZVOUS));
            case "guava" -> guava(nodes);
            case "ketama" -> new KetamaRing(nodes);
            default -> throw new IllegalArgumentException("Unknown ring contender '" + impl + "'");
        };
    }

    /** Ours: an immutable {@link HashRing} on the default route ({@link RingRoute#SLOTS}). */
    static HashRing ringlockRing(List<String> nodes) {
        return HashRing.of(nodes);
    }

    private static Router ringlock(List<String> nodes) {
        return ringlock(ringlockRing(nodes));
    }

    private static Router ringlock(HashRing ring) {
        return ring::nodeFor;
    }

    /**
     * Guava's jump consistent hash, fed the same 64-bit key hash as ours ({@link RingHash#hash}); it has no
     * ring to build, only the node list, and it can only remove the last node without moving other keys.
     */
    private static Router guava(List<String> nodes) {
        String[] ids = nodes.toArray(String[]::new);
        return key -> ids[Hashing.consistentHash(RingHash.hash(key), ids.length)];
    }
}
