package dev.ringlock.zookeeper;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.List;

import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * ZooKeeper's {@code digest} authentication for one user, and the ACL that gives that user, and no one else,
 * every right on each znode the client creates (lock nodes, counters, ring members and their parents).
 * <p>
 * Another client can still see that a node exists ({@code exists} checks no ACL), but cannot read, change,
 * delete or create below it without the same credential. ZooKeeper sets ACLs only when a node is created:
 * nodes made before the credential was configured keep theirs.
 */
public final class ZooKeeperDigestAcl implements ACLProvider {

    /** The authentication scheme. */
    public static final String SCHEME = "digest";

    private final String username;
    private final byte[] authorization;
    private final List<ACL> acl;

    /**
     * @param username the digest user; not blank, no {@code ':'} (the scheme splits user and password there)
     * @param password not empty
     * @throws IllegalArgumentException naming the argument that cannot work
     */
    public ZooKeeperDigestAcl(String username, String password) {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("'username' must not be blank");
        }
        if (username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'username' must not contain ':', was '" + username + "'");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("'password' must not be empty");
        }
        String credential = username + ":" + password;
        this.username = username;
        this.authorization = credential.getBytes(StandardCharsets.UTF_8);
        try {
            // the id ZooKeeper compares with the authenticated session's: user:base64(sha1(user:password))
            // not List.of: ZooKeeper checks the list with contains(null), which List.of answers with an exception
            this.acl = Collections.singletonList(new ACL(ZooDefs.Perms.ALL,
                    new Id(SCHEME, DigestAuthenticationProvider.generateDigest(credential))));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-1, which ZooKeeper's digest scheme needs, is not available", ex);
        }
    }

    public String username() {
        return username;
    }

    /** The bytes to authenticate the session with, for {@code CuratorFrameworkFactory.Builder.authorization}. */
    public byte[] authorization() {
        return authorization.clone();
    }

    /** The ACL of every node: all rights for this user, none for anyone else. */
    public List<ACL> acl() {
        return acl;
    }

    @Override
    public List<ACL> getDefaultAcl() {
        return acl;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
        return acl;
    }

    @Override
    public String toString() {
        // never the password
        return "ZooKeeperDigestAcl[" + SCHEME + ":" + username + "]";
    }
}
