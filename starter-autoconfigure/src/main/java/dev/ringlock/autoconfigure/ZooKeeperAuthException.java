package dev.ringlock.autoconfigure;

/**
 * {@code ringlock.zookeeper.auth.*} cannot work as configured: half a credential, a user name ZooKeeper's digest
 * scheme cannot carry, or a credential set for a client Ringlock does not build. Never carries the password.
 */
public class ZooKeeperAuthException extends IllegalStateException {

    private final String property;
    private final String action;

    public ZooKeeperAuthException(String message, String property, String action) {
        super(message);
        this.property = property;
        this.action = action;
    }

    /** The property to review. */
    public String property() {
        return property;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
