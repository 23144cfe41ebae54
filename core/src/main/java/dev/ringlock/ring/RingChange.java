package dev.ringlock.ring;

import java.util.Set;
import java.util.TreeSet;

/**
 * A change of the live ring: who joined, who left, and how much of the key space changed owner.
 *
 * @param previous the ring before the change
 * @param current the ring after the change
 * @param added the members that joined, in ascending order
 * @param removed the members that left, in ascending order
 * @param movedFraction the expected fraction of all keys whose owner changed, between 0 and 1 (exact in
 *     expectation for joins and leaves; an upper bound when a member changed weight)
 */
public record RingChange(HashRing previous, HashRing current, Set<String> added, Set<String> removed,
        double movedFraction) {

    public RingChange {
        added = Set.copyOf(added);
        removed = Set.copyOf(removed);
    }

    /**
     * The change from {@code previous} to {@code current}. Under rendezvous hashing a key changes owner
     * exactly when its highest-ranked node among both rings joined, left or changed weight, so the moved
     * fraction is those nodes' share of the union (a reweighted node counted with its larger weight).
     */
    public static RingChange between(HashRing previous, HashRing current) {
        Set<String> added = new TreeSet<>(current.nodes());
        added.removeAll(previous.nodes());
        Set<String> removed = new TreeSet<>(previous.nodes());
        removed.removeAll(current.nodes());
        Set<String> union = new TreeSet<>(previous.nodes());
        union.addAll(current.nodes());
        long total = 0;
        long changed = 0;
        for (String node : union) {
            int before = previous.weight(node);
            int after = current.weight(node);
            int larger = Math.max(before, after);
            total += larger;
            if (before != after) {
                changed += larger;
            }
        }
        return new RingChange(previous, current, added, removed, total == 0 ? 0 : (double) changed / total);
    }

    /** Whether membership changed at all. */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && movedFraction == 0;
    }

    @Override
    public String toString() {
        return "RingChange[added=" + new TreeSet<>(added) + ", removed=" + new TreeSet<>(removed)
                + ", moved=" + String.format(java.util.Locale.ROOT, "%.1f%%", movedFraction * 100)
                + ", members=" + current.size() + "]";
    }
}
