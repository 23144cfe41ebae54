package dev.ringlock.ring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes are the same in another JVM (with another hash seed for {@code HashMap}s and another identity hash
 * for every object), and the same as when this test was written.
 */
class HashRingForkedJvmTests {

    /** The digest of {@link RouteDigest}'s routes; it changes only if the ring's specification does. */
    private static final String PUBLISHED_DIGEST = "e70984a9f00f05d0bdd8076cfa80cefc7ce5e2da17723942de15b33605ac3fd2";

    /** The same for {@link RingRoute#SLOTS}. */
    private static final String PUBLISHED_SLOTS_DIGEST = "5d71d37591de8204cad00227b873ce8a1331c48a28f3540de8dca8211ba0c550";

    @Test
    void aForkedJvmComputesTheSameDigestOf100000Routes() throws IOException, InterruptedException {
        assertThat(forkedDigest(RingRoute.RENDEZVOUS)).isEqualTo(RouteDigest.compute(RingRoute.RENDEZVOUS))
                .isEqualTo(PUBLISHED_DIGEST);
        assertThat(forkedDigest(RingRoute.SLOTS)).isEqualTo(RouteDigest.compute(RingRoute.SLOTS))
                .isEqualTo(PUBLISHED_SLOTS_DIGEST);
    }

    private static String forkedDigest(RingRoute route) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xshare:off", "-XX:+UnlockExperimentalVMOptions", "-XX:hashCode=2", "-cp",
                System.getProperty("java.class.path"), RouteDigest.class.getName(), route.name())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String forked = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return forked;
    }
}
