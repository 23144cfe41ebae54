package dev.ringlock.ring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A SHA-256 digest of 100,000 routes on a fixed weighted ring and a fixed equal ring, so that two JVMs can
 * compare their routes with one line. Run as a program it prints the digest.
 */
final class RouteDigest {

    static final int ROUTES = 100_000;

    private RouteDigest() {
    }

    public static void main(String[] args) {
        System.out.println(compute(RingRoute.valueOf(args[0])));
    }

    static String compute(RingRoute route) {
        HashRing equal = HashRing.of(List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"), route);
        HashRing weighted = HashRing.builder().route(route).node("small", 1).node("medium", 3).node("large", 7).build();
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        for (int i = 0; i < ROUTES; i++) {
            String key = "route-" + i + (i % 7 == 0 ? "-ü€😀" : "");
            digest.update(equal.nodeFor(key).getBytes(StandardCharsets.UTF_8));
            digest.update(weighted.nodeFor(key).getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
