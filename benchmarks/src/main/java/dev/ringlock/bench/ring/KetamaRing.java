package dev.ringlock.bench.ring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The classic ketama ring as hand-written rings do it: 160 points per node (40 MD5 digests of
 * {@code node-i}, four 32-bit points from each), in a {@code TreeMap}; a key goes to the first point at or
 * after the first four bytes of its MD5, wrapping around.
 */
final class KetamaRing implements Router {

    static final int POINTS_PER_NODE = 160;

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(KetamaRing::md5);

    private final TreeMap<Long, String> points = new TreeMap<>();

    KetamaRing(List<String> nodes) {
        MessageDigest md5 = MD5.get();
        for (String node : nodes) {
            for (int i = 0; i < POINTS_PER_NODE / 4; i++) {
                byte[] digest = md5.digest((node + "-" + i).getBytes(StandardCharsets.UTF_8));
                for (int h = 0; h < 4; h++) {
                    points.put(point(digest, h), node);
                }
            }
        }
    }

    @Override
    public String nodeFor(String key) {
        byte[] digest = MD5.get().digest(key.getBytes(StandardCharsets.UTF_8));
        Map.Entry<Long, String> entry = points.ceilingEntry(point(digest, 0));
        return entry != null ? entry.getValue() : points.firstEntry().getValue();
    }

    private static long point(byte[] digest, int index) {
        return ((long) (digest[3 + index * 4] & 0xFF) << 24)
                | ((long) (digest[2 + index * 4] & 0xFF) << 16)
                | ((long) (digest[1 + index * 4] & 0xFF) << 8)
                | (digest[index * 4] & 0xFF);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
