package dev.ringlock.zookeeper;

import java.util.List;

/**
 * The names of the nodes in a key's lock directory, which say what each node is for: {@code lock-} a writer (the
 * exclusive lock), {@code read-} a reader, {@code permits-<N>-wait-} a place in the queue of a key with N permits and
 * {@code permits-<N>-lease-} one of its leases. Every name ends with ZooKeeper's ten-digit sequence (and starts with
 * Curator's protection prefix), so one directory orders all of them ({@link ZooKeeperPaths#BY_SEQUENCE}).
 * <p>
 * A key is used with one number of permits (writers and readers count as one). A request checks the nodes that
 * came before the one it holds by: of two requests with different counts whose nodes live at the same time, the one
 * with the later node sees the other's in the listing it already makes and gives up, so they never both hold.
 */
final class LockNodes {

    static final String WRITE = "lock-";
    static final String READ = "read-";

    private static final int SEQUENCE_DIGITS = 10;
    private static final String PERMITS = "permits-";
    private static final String WAIT = "-wait-";
    private static final String LEASE = "-lease-";

    private LockNodes() {
    }

    /** The name (before its sequence) of a waiter's node in the queue of a key with {@code permits} permits. */
    static String waitName(int permits) {
        return PERMITS + permits + WAIT;
    }

    /** The name (before its sequence) of a lease of a key with {@code permits} permits. */
    static String leaseName(int permits) {
        return PERMITS + permits + LEASE;
    }

    static boolean isWrite(String name) {
        return stem(name).endsWith(WRITE);
    }

    static boolean isWait(String name) {
        return stem(name).endsWith(WAIT);
    }

    static boolean isLease(String name) {
        return stem(name).endsWith(LEASE);
    }

    /** The number of permits the node's key is used with: 1 for a writer's or a reader's node. */
    static int permitsOf(String name) {
        String stem = stem(name);
        int start = stem.lastIndexOf(PERMITS);
        if (start < 0 || !(stem.endsWith(WAIT) || stem.endsWith(LEASE))) {
            return 1;
        }
        int end = stem.indexOf('-', start + PERMITS.length());
        try {
            return Integer.parseInt(stem, start + PERMITS.length(), end, 10);
        }
        catch (NumberFormatException | IndexOutOfBoundsException ex) {
            return 1;
        }
    }

    /**
     * Throws {@link PermitCountMismatchException} if a node before {@code ourIndex} in {@code sorted} belongs to
     * a request with another number of permits than {@code permits}.
     */
    static void requireOneCount(String key, List<String> sorted, int ourIndex, int permits) {
        for (int i = 0; i < ourIndex; i++) {
            int theirs = permitsOf(sorted.get(i));
            if (theirs != permits) {
                throw new PermitCountMismatchException(key, theirs, permits);
            }
        }
    }

    private static String stem(String name) {
        return name.substring(0, name.length() - SEQUENCE_DIGITS);
    }

    /** A key met in use with another number of permits; wording as the local backend's. */
    static final class PermitCountMismatchException extends IllegalArgumentException {

        PermitCountMismatchException(String key, int inUse, int asked) {
            super("Lock '" + key + "' is in use with " + inUse + " permit(s) and was asked for with " + asked
                    + " permit(s) on ZooKeeper; use one number of permits per key (a READ or exclusive lock counts"
                    + " as one)");
        }
    }
}
