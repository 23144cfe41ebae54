package dev.ringlock.bench.ring;

/** The contenders' ring structures, for the report's memory measurement. */
public final class RingShapes {

    private RingShapes() {
    }

    public static Object ringlock(int nodes) {
        return Routers.ringlockRing(Routers.nodeIds(nodes));
    }

    public static Object ketama(int nodes) {
        return new KetamaRing(Routers.nodeIds(nodes));
    }

    /** All jump hashing keeps: the node ids. */
    public static Object[] guava(int nodes) {
        return Routers.nodeIds(nodes).toArray(String[]::new);
    }
}
