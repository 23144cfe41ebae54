package dev.ringlock.autoconfigure;

import dev.ringlock.zookeeper.ZooKeeperDigestAcl;
import org.jspecify.annotations.Nullable;

/**
 * Turns {@code ringlock.zookeeper.auth.*} into the digest credential and ACL of the client Ringlock builds,
 * refusing a credential that cannot work with the property to fix.
 */
final class ZooKeeperAuth {

    static final String USERNAME = "ringlock.zookeeper.auth.username";
    static final String PASSWORD = "ringlock.zookeeper.auth.password";

    private ZooKeeperAuth() {
    }

    /**
     * The credential and ACL, or null when neither property is set.
     * @throws ZooKeeperAuthException naming the property when only one is set or the user name cannot work
     */
    static @Nullable ZooKeeperDigestAcl digestAcl(RinglockProperties.ZooKeeper.Auth auth) {
        if (!auth.isSet()) {
            return null;
        }
        String username = auth.getUsername();
        String password = auth.getPassword();
        if (username == null || username.isBlank()) {
            throw invalid(USERNAME, "is " + (username == null ? "not set" : "blank") + ", but '" + PASSWORD + "' is set",
                    "Set '" + USERNAME + "' to the ZooKeeper digest user, or remove '" + PASSWORD + "'.");
        }
        if (username.indexOf(':') >= 0) {
            throw invalid(USERNAME, "'" + username + "' contains ':', which ZooKeeper's digest scheme reads as the end "
                    + "of the user name", "Set '" + USERNAME + "' to a user name without ':' (the password may have one).");
        }
        if (password == null || password.isEmpty()) {
            throw invalid(PASSWORD, "is " + (password == null ? "not set" : "empty") + ", but '" + USERNAME + "' is set",
                    "Set '" + PASSWORD + "' to the password of ZooKeeper digest user '" + username + "'.");
        }
        return new ZooKeeperDigestAcl(username, password);
    }

    private static ZooKeeperAuthException invalid(String property, String problem, String action) {
        return new ZooKeeperAuthException("Invalid ZooKeeper credential: '" + property + "' " + problem, property, action);
    }
}
