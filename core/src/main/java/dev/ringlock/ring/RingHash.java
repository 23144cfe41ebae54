package dev.ringlock.ring;

/**
 * The ring's published hash: MurmurHash3 x64 128-bit, seed {@link #SEED}, of the UTF-8 bytes of a string,
 * taking the first 64-bit half ({@code h1}, the first eight bytes of the digest read little-endian), and
 * MurmurHash3's finalisers {@link #fmix32(int)} and {@link #fmix64(long)} to score a key on a node.
 * <p>
 * The UTF-8 bytes are produced on the fly from the string's chars, exactly as
 * {@code String.getBytes(UTF_8)} would produce them (an unpaired surrogate becomes {@code '?'}), so hashing
 * allocates nothing.
 */
public final class RingHash {

    /** The seed of every ring hash: the ASCII bytes of "RING" read as a big-endian int. */
    public static final int SEED = 0x52494E47;

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private RingHash() {
    }

    /** The 64-bit hash of the UTF-8 bytes of {@code value}. */
    public static long hash(String value) {
        long h1 = SEED & 0xFFFFFFFFL;
        long h2 = h1;
        long k1 = 0;
        long k2 = 0;
        int fill = 0; // bytes in the current 16-byte block
        long length = 0;
        int chars = value.length();
        int i = 0;
        // Fast path: whole blocks of 16 ASCII chars are 16 bytes, one per char.
        while (i + 16 <= chars) {
            long b1 = asciiWord(value, i);
            long b2 = asciiWord(value, i + 8);
            if (b1 < 0 || b2 < 0) {
                break;
            }
            h1 ^= mixK1(b1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(b2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
            i += 16;
            length += 16;
        }
        for (; i < chars; i++) {
            char c = value.charAt(i);
            int bytes;
            int count;
            if (c < 0x80) {
                bytes = c;
                count = 1;
            }
            else if (c < 0x800) {
                bytes = (0xC0 | (c >>> 6)) | ((0x80 | (c & 0x3F)) << 8);
                count = 2;
            }
            else if (Character.isSurrogate(c)) {
                char low = i + 1 < chars ? value.charAt(i + 1) : 0;
                if (Character.isHighSurrogate(c) && Character.isLowSurrogate(low)) {
                    int cp = Character.toCodePoint(c, low);
                    i++;
                    bytes = (0xF0 | (cp >>> 18)) | ((0x80 | ((cp >>> 12) & 0x3F)) << 8)
                            | ((0x80 | ((cp >>> 6) & 0x3F)) << 16) | ((0x80 | (cp & 0x3F)) << 24);
                    count = 4;
                }
                else {
                    bytes = '?';
                    count = 1;
                }
            }
            else {
                bytes = (0xE0 | (c >>> 12)) | ((0x80 | ((c >>> 6) & 0x3F)) << 8) | ((0x80 | (c & 0x3F)) << 16);
                count = 3;
            }
            for (int b = 0; b < count; b++) {
                long octet = (bytes >>> (8 * b)) & 0xFF;
                if (fill < 8) {
                    k1 |= octet << (8 * fill);
                }
                else {
                    k2 |= octet << (8 * (fill - 8));
                }
                length++;
                if (++fill == 16) {
                    h1 ^= mixK1(k1);
                    h1 = Long.rotateLeft(h1, 27) + h2;
                    h1 = h1 * 5 + 0x52dce729;
                    h2 ^= mixK2(k2);
                    h2 = Long.rotateLeft(h2, 31) + h1;
                    h2 = h2 * 5 + 0x38495ab5;
                    k1 = 0;
                    k2 = 0;
                    fill = 0;
                }
            }
        }
        if (fill > 8) {
            h2 ^= mixK2(k2);
        }
        if (fill > 0) {
            h1 ^= mixK1(k1);
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        return h1 + h2;
    }

    /**
     * The eight chars from {@code from} as eight little-endian bytes, or -1 if one of them is not ASCII
     * (a char below 0x80 never sets the top bit, so a valid word is never negative).
     */
    private static long asciiWord(String value, int from) {
        long word = 0;
        int seen = 0;
        for (int j = 0; j < 8; j++) {
            char c = value.charAt(from + j);
            seen |= c;
            word |= (long) c << (8 * j);
        }
        return seen < 0x80 ? word : -1;
    }

    /** How many bits of a key's hash pick its slot under {@link RingRoute#SLOTS}: 2^23 slots. */
    public static final int SLOT_BITS = 23;

    /** The number of slots of {@link RingRoute#SLOTS}, {@code 2^}{@value #SLOT_BITS}; fixed forever. */
    public static final int SLOTS = 1 << SLOT_BITS;

    /**
     * The slot of a key whose {@link #hash(String)} is {@code keyHash}: its top {@value #SLOT_BITS} bits,
     * {@code keyHash >>> 41}. Changing the slot count would move keys between nodes that stay, so it never
     * changes.
     */
    public static int slot(long keyHash) {
        return (int) (keyHash >>> (64 - SLOT_BITS));
    }

    /**
     * What {@link RingRoute#SLOTS} scores the nodes with in place of a key's hash:
     * {@code fmix64(0x52494E47_00000000 | slot)}, the seed in the high half and the slot in the low one
     * (so that slot 0 does not hash to 0, as {@code fmix64(0)} would).
     */
    public static long slotHash(int slot) {
        return fmix64(((long) SEED << 32) | slot);
    }

    /** The 64-bit hash folded to 32 bits: the low half XOR the high half. */
    public static int fold(long hash) {
        return (int) (hash ^ (hash >>> 32));
    }

    /** MurmurHash3's 32-bit finaliser: a bijection that spreads every input bit over the whole output. */
    public static int fmix32(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** MurmurHash3's 64-bit finaliser: a bijection that spreads every input bit over the whole output. */
    public static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }
}
