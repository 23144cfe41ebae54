package dev.ringlock.ring;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ring's hash is plain MurmurHash3 x64 128 (first half) of the key's UTF-8 bytes: checked against
 * Guava's independent implementation, so a client in another language can use its own MurmurHash3.
 */
class RingHashTests {

    private static final HashFunction MURMUR3 = Hashing.murmur3_128(RingHash.SEED);

    @Test
    void equalsMurmur3OfTheUtf8BytesForAsciiOfEveryLength() {
        StringBuilder key = new StringBuilder();
        for (int length = 0; length <= 70; length++) {
            assertThat(RingHash.hash(key.toString())).as("length %d", length).isEqualTo(reference(key.toString()));
            key.append((char) ('a' + length % 26));
        }
    }

    @Test
    void equalsMurmur3WhenOneNonAsciiCharSitsAnywhereInALongAsciiKey() {
        for (String odd : new String[] {"é", "€", "😀", "\uD800"}) {
            for (int position = 0; position <= 48; position++) {
                String key = "a".repeat(position) + odd + "b".repeat(48 - position);
                assertThat(RingHash.hash(key)).as("%s at %d", odd, position).isEqualTo(reference(key));
            }
        }
    }

    @Test
    void equalsMurmur3OfTheUtf8BytesForAnyUnicode() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder key = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                // one-, two-, three- and four-byte code points, and now and then a lone surrogate
                int kind = random.nextInt(5);
                switch (kind) {
                    case 0 -> key.append((char) random.nextInt(0x80));
                    case 1 -> key.append((char) (0x80 + random.nextInt(0x800 - 0x80)));
                    case 2 -> key.append((char) (0xE000 + random.nextInt(0x2000)));
                    case 3 -> key.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000));
                    default -> key.append((char) (0xD800 + random.nextInt(0x800)));
                }
            }
            String value = key.toString();
            assertThat(RingHash.hash(value)).as("key %s", value).isEqualTo(reference(value));
        }
    }

    private static long reference(String value) {
        return MURMUR3.hashBytes(value.getBytes(StandardCharsets.UTF_8)).asLong();
    }
}
