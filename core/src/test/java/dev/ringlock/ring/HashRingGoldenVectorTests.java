package dev.ringlock.ring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden vectors of the ring's page ({@code docs/hash-ring.md}) are what the ring computes: node hashes, key hashes, owners and replica lists
 * on the five-node ring {@code cache-1} … {@code cache-5}, under both routes.
 */
class HashRingGoldenVectorTests {

    private static final Pattern NODE_ROW = Pattern.compile("^\\| `(cache-\\d)` \\| `([0-9a-f]{16})` \\|$",
            Pattern.MULTILINE);

    private static final Pattern KEY_ROW = Pattern.compile(
            "^\\| `([^`]+)` \\| `([0-9a-f]{16})` \\| `(cache-\\d)` \\| ([a-z0-9, -]+) \\|$", Pattern.MULTILINE);

    private static final Pattern SLOT_KEY_ROW = Pattern.compile("^\\| `([^`]+)` \\| `([0-9a-f]{16})` \\| (\\d+) \\| "
            + "`([0-9a-f]{16})` \\| `(cache-\\d)` \\| ([a-z0-9, -]+) \\|$", Pattern.MULTILINE);

    private static final List<String> NODES = List.of("cache-1", "cache-2", "cache-3", "cache-4", "cache-5");

    private static final HashRing RING = HashRing.of(NODES, RingRoute.RENDEZVOUS);

    private static final HashRing SLOTS_RING = HashRing.of(NODES, RingRoute.SLOTS);

    @Test
    void documentedNodeHashesAreTheRingHashes() throws IOException {
        Matcher rows = NODE_ROW.matcher(ringPage());
        int count = 0;
        while (rows.find()) {
            assertThat(hex(RingHash.hash(rows.group(1)))).as("hash of %s", rows.group(1)).isEqualTo(rows.group(2));
            count++;
        }
        assertThat(count).isEqualTo(5);
    }

    @Test
    void documentedRoutesAreTheRingsRoutes() throws IOException {
        Matcher rows = KEY_ROW.matcher(ringPage());
        int count = 0;
        while (rows.find()) {
            String key = rows.group(1);
            assertThat(hex(RingHash.hash(key))).as("hash of %s", key).isEqualTo(rows.group(2));
            assertThat(RING.nodeFor(key)).as("owner of %s", key).isEqualTo(rows.group(3));
            assertThat(RING.nodesFor(key, 3)).as("replicas of %s", key)
                    .isEqualTo(Arrays.asList(rows.group(4).split(", ")));
            count++;
        }
        assertThat(count).isEqualTo(20);
    }

    @Test
    void documentedSlotRoutesAreTheSlotRingsRoutes() throws IOException {
        Matcher rows = SLOT_KEY_ROW.matcher(ringPage());
        int count = 0;
        while (rows.find()) {
            String key = rows.group(1);
            long hash = RingHash.hash(key);
            assertThat(hex(hash)).as("hash of %s", key).isEqualTo(rows.group(2));
            assertThat(RingHash.slot(hash)).as("slot of %s", key).isEqualTo(Integer.parseInt(rows.group(3)));
            assertThat(hex(RingHash.slotHash(RingHash.slot(hash)))).as("slot hash of %s", key).isEqualTo(rows.group(4));
            assertThat(SLOTS_RING.nodeFor(key)).as("owner of %s", key).isEqualTo(rows.group(5));
            assertThat(SLOTS_RING.nodesFor(key, 3)).as("replicas of %s", key)
                    .isEqualTo(Arrays.asList(rows.group(6).split(", ")));
            count++;
        }
        assertThat(count).isEqualTo(20);
    }

    private static String ringPage() throws IOException {
        // tests run in the module's directory: the repository's root is its parent
        return Files.readString(Path.of("..", "docs", "hash-ring.md"));
    }

    private static String hex(long value) {
        return String.format("%016x", value);
    }
}
