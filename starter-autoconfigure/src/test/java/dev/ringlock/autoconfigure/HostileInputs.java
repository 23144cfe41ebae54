package dev.ringlock.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Lock keys and counter names meant to break something: a fixed list of known troublemakers (empty, blank,
 * control characters, glob, Lua and SpEL metacharacters, hash tags, percent-encodings, path segments, reserved
 * znode names, surrogate pairs and unpaired surrogates, the length limit and past it) and seeded random strings
 * mixing all of them. The same seed gives the same inputs, so a failure names its seed and can be replayed with
 * {@code -Dringlock.hostile.seed=<seed>}.
 */
final class HostileInputs {

    /** Characters that mean something to Redis glob patterns, Lua, SpEL, URL and path encodings or shells. */
    private static final String META = "*?[]^-{}%/.:\\'\"#$()<>|&;`!@~=+,\n\r\t\0";

    /** White space and invisible characters, beyond the ASCII ones. */
    private static final String SPACES = " \t\n\u000B\f\r\u001C\u00A0\u1680\u2000\u2003\u2028\u2029\u202F\u3000\uFEFF\u200B";

    private HostileInputs() {
    }

    /** The seed: {@code ringlock.hostile.seed} when set, else a new one each run. */
    static long seed() {
        String fixed = System.getProperty("ringlock.hostile.seed");
        return fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
    }

    /** The fixed inputs and {@code randomCount} random ones, each once, in a stable order. */
    static List<String> inputs(long seed, int randomCount) {
        Set<String> inputs = new LinkedHashSet<>(fixed());
        Random random = new Random(seed);
        while (inputs.size() < fixed().size() + randomCount) {
            inputs.add(randomString(random));
        }
        return new ArrayList<>(inputs);
    }

    static List<String> fixed() {
        return List.of("", " ", "\t\n", "\r\n", "\u00A0\u2003", "\u0000", "a\u0000b", "line1\nline2", "\u001B[31mred",
                // Redis glob patterns and the characters our keys are made of
                "*", "?", "[a-z]", "*?[]", "\\*", "a:b", ":", "lock:{x}:fence", "x:fence", "x:waiting",
                // hash tags and their percent-encoding
                "{", "}", "{}", "}{", "{tag}", "a{b}c", "{a}{b}", "%", "%7B", "%7D", "%25", "%%", "%2F", "%2E%2E",
                // znode paths and reserved names
                "/", "//", "/a", "a/", "a/b", ".", "..", "...", "../..", "a/../../b", "..%2F..", "/zookeeper",
                "zookeeper", "zookeeper/quota", "/zookeeper/config", "~", "con", "nul",
                // Lua and Redis command injection attempts
                "'); redis.call('FLUSHALL') --", "]] .. redis.call('DEL', KEYS[1]) .. [[", "\nFLUSHALL\n",
                "*1\r\n$8\r\nFLUSHALL\r\n", "return 1",
                // SpEL, property placeholders, templates
                "#{T(java.lang.Runtime).getRuntime().exec('id')}", "T(java.lang.System).exit(0)", "${user.home}",
                "#this", "#root", "@bean", "'quoted'", "\"double\"", "' + 'concat",
                // Unicode: other scripts, surrogate pairs, direction overrides, combining marks
                "ключ", "日本語キー", "😀", "𝄞", "a😀b", "\u202Egnp.exe", "e\u0301", "\uFFFF", "\uFFFE",
                // unpaired surrogates: not valid Unicode, and no UTF-8 encoding
                "\uD800", "\uDC00", "a\uD800", "a\uDC00", "a?", "\uDC00\uD800",
                // the length limit (1,024 characters) and past it, in one- and two-char code points
                "x".repeat(1024), "x".repeat(1025), "😀".repeat(512), "😀".repeat(513), "x".repeat(10 * 1024),
                "%".repeat(1024), "/".repeat(1024), "\u0000".repeat(1024));
    }

    private static String randomString(Random random) {
        int length = random.nextInt(12) == 0 ? 1000 + random.nextInt(60) : random.nextInt(24);
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            switch (random.nextInt(7)) {
                case 0, 1 -> sb.append((char) (0x20 + random.nextInt(0x5F)));
                case 2 -> sb.append(META.charAt(random.nextInt(META.length())));
                case 3 -> sb.append((char) (random.nextBoolean() ? random.nextInt(0x20) : 0x7F));
                case 4 -> {
                    char c = (char) (0x80 + random.nextInt(0xFF80));
                    sb.append(Character.isSurrogate(c) ? 'é' : c);
                }
                case 5 -> sb.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000 + 1));
                default -> sb.append(random.nextInt(10) == 0
                        ? (char) (0xD800 + random.nextInt(0x800)) // now and then an unpaired surrogate
                        : SPACES.charAt(random.nextInt(SPACES.length())));
            }
        }
        return sb.toString();
    }

    /** The input as Java source would write it, shortened, for assertion messages. */
    static String describe(String input) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < Math.min(input.length(), 60); i++) {
            char c = input.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                sb.append(c);
            }
            else {
                sb.append(String.format("\\u%04X", (int) c));
            }
        }
        sb.append('"');
        if (input.length() > 60) {
            sb.append("… (").append(input.length()).append(" chars)");
        }
        return sb.toString();
    }
}
