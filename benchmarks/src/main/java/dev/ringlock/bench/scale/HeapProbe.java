package dev.ringlock.bench.scale;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.management.ObjectName;

/**
 * Live heap of this JVM: bytes used after full collections, and the class histogram (what {@code jcmd <pid>
 * GC.class_histogram} prints) through the DiagnosticCommand MBean, so a run can say which objects a held lock adds.
 */
final class HeapProbe {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapProbe() {
    }

    /**
     * Used heap after full GCs, repeated until it stops shrinking: one collection may leave garbage that a
     * finalizer or reference handler freed only during it (Netty's and Redisson's cleaners).
     */
    static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            long now = MEMORY.getHeapMemoryUsage().getUsed();
            if (now >= used - 1024) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }

    /** Bytes and instances of each live class ({@code GC.class_histogram} runs a full GC first). */
    static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> byClass = new HashMap<>();
        for (String line : text.split("\n")) {
            // "   1:        123456      7890123  java.lang.String (java.base@17)"
            String[] cells = line.trim().split("\\s+");
            if (cells.length >= 4 && cells[0].endsWith(":")) {
                byClass.put(cells[3], new long[] {Long.parseLong(cells[1]), Long.parseLong(cells[2])});
            }
        }
        return byClass;
    }

    /** The classes that grew most in bytes from {@code before} to {@code after}, per lock, largest first. */
    static List<String> growthPerLock(Map<String, long[]> before, Map<String, long[]> after, int locks, int top) {
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        after.forEach((name, now) -> {
            long[] was = before.getOrDefault(name, new long[2]);
            grown.add(Map.entry(name, new long[] {now[0] - was[0], now[1] - was[1]}));
        });
        grown.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, long[]> e : grown.subList(0, Math.min(top, grown.size()))) {
            lines.add(String.format(Locale.ROOT, "%8.1f B/lock %6.2f instances/lock  %s", (double) e.getValue()[1] / locks,
                    (double) e.getValue()[0] / locks, e.getKey()));
        }
        return lines;
    }
}
