package dev.ringlock.lock;

/**
 * The lock was lost, or could no longer be confirmed, while the guarded work ran: another holder may
 * have run at the same time. Writes that carried the fencing token were refused by resources that check
 * it; other effects of the work must be treated as unguarded.
 */
public class LockLostException extends RuntimeException {

    private final String key;
    private final long fencingToken;

    public LockLostException(String key, long fencingToken) {
        super("Lock '" + key + "' (fencing token " + fencingToken + ") was lost while the guarded work ran;"
                + " another holder may have run concurrently, so check the work's effects");
        this.key = key;
        this.fencingToken = fencingToken;
    }

    /** The key of the lost lock. */
    public String key() {
        return key;
    }

    /** The fencing token the work ran with. */
    public long fencingToken() {
        return fencingToken;
    }
}
