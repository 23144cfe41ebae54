package dev.ringlock.zookeeper;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

import dev.ringlock.support.KeyPrefix;
import org.apache.curator.utils.ZKPaths;

/**
 * Names the znodes of one key prefix. Application keys are URL-encoded into a single path segment, so a
 * key with {@code /}, {@code ..} or control characters can never reach outside the prefix.
 */
public final class ZooKeeperPaths {

    /** Orders sequential nodes by ZooKeeper's sequence suffix, the last ten digits of their names. */
    static final Comparator<String> BY_SEQUENCE = Comparator.comparing(name -> name.substring(name.length() - 10));

    private final String root;

    /**
     * @param prefix the namespace of every znode ({@code ringlock.key-prefix}), as {@link KeyPrefix} allows
     */
    public ZooKeeperPaths(String prefix) {
        this.root = ZKPaths.makePath("/", segment(KeyPrefix.requireValid(prefix)));
    }

    /** The parent of the lock nodes for {@code key}. */
    String lockDir(String key) {
        return ZKPaths.makePath(root, "locks", segment(key));
    }

    /** The znode that holds the counter {@code name}. */
    String counterPath(String name) {
        return ZKPaths.makePath(root, "counters", segment(name));
    }

    /** The parent of the ring members' ephemeral nodes. */
    String members() {
        return ZKPaths.makePath(root, "members");
    }

    /** The ephemeral node of ring member {@code memberId}. */
    String member(String memberId) {
        return ZKPaths.makePath(members(), segment(memberId));
    }

    /** The parent of the candidate nodes of leader-election group {@code group}. */
    String leaderDir(String group) {
        return ZKPaths.makePath(root, "leader", segment(group));
    }

    /** One path segment that stands for {@code value} and nothing else. */
    static String segment(String value) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        // "." and ".." are the only encodings ZooKeeper still refuses as a node name
        return switch (encoded) {
            case "." -> "%2E";
            case ".." -> "%2E%2E";
            default -> encoded;
        };
    }
}
