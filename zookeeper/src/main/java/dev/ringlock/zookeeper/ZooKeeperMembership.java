package dev.ringlock.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.ringlock.ring.Membership;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * Ring members as ephemeral znodes under {@code /<prefix>/members}, one per member, holding the member id in
 * UTF-8, watched with a {@link CuratorCache}.
 * <p>
 * A member's node lives with its session: it disappears at once when the member closes its client, and
 * when the session expires if the member died. This instance creates its nodes again after each
 * reconnection (a new session has none), so a member that was cut off comes back on its own. The listener runs on the cache's thread, after the cache has loaded, and again
 * after each change of the member set.
 */
public final class ZooKeeperMembership implements Membership {

    private static final Log logger = LogFactory.getLog(ZooKeeperMembership.class);

    private final CuratorFramework client;
    private final ZooKeeperPaths paths;
    private final Set<String> joined = ConcurrentHashMap.newKeySet();

    /** After a session expiry Curator reconnects with a new session, without our ephemeral nodes. */
    private final ConnectionStateListener reconnections = (client, state) -> {
        if (state == ConnectionState.RECONNECTED) {
            joined.forEach(this::register);
        }
    };

    private @Nullable CuratorCache cache;
    private volatile @Nullable Consumer<Set<String>> listener;
    private volatile boolean loaded;
    private @Nullable Set<String> published;

    public ZooKeeperMembership(CuratorFramework client, ZooKeeperPaths paths) {
        this.client = Objects.requireNonNull(client, "client");
        this.paths = Objects.requireNonNull(paths, "paths");
    }

    @Override
    public String backend() {
        return ZooKeeperBackend.NAME;
    }

    @Override
    public synchronized void start(Consumer<Set<String>> listener) {
        if (this.listener != null) {
            return;
        }
        this.listener = listener;
        client.getConnectionStateListenable().addListener(reconnections);
        try {
            client.create().creatingParentsIfNeeded().forPath(paths.members());
        }
        catch (KeeperException.NodeExistsException ignore) {
            // another member made it first
        }
        catch (Exception ex) {
            throw new IllegalStateException("Cannot create the ring members node " + paths.members()
                    + " on zookeeper: " + ex.getMessage(), ex);
        }
        CuratorCache membersCache = CuratorCache.build(client, paths.members());
        membersCache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, before, after) -> {
                    if (loaded) {
                        publish();
                    }
                })
                .forInitialized(() -> {
                    loaded = true;
                    publish();
                })
                .build());
        // assigned before the cache starts, so its first event finds it
        cache = membersCache;
        membersCache.start();
    }

    @Override
    public void join(String memberId) {
        if (joined.add(memberId)) {
            register(memberId);
        }
    }

    @Override
    public void leave(String memberId) {
        if (!joined.remove(memberId) || client.getState() != CuratorFrameworkState.STARTED) {
            return; // with the client closed, its session and the node are gone already
        }
        String path = paths.member(memberId);
        try {
            Stat stat = client.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() == sessionId()) {
                client.delete().guaranteed().withVersion(stat.getVersion()).forPath(path);
            }
        }
        catch (KeeperException.NoNodeException | KeeperException.BadVersionException ignore) {
            // gone already, or no longer ours
        }
        catch (Exception ex) {
            logger.warn("Could not delete the ring member node of '" + memberId + "' on zookeeper; it goes when "
                    + "this session ends: " + ex);
        }
    }

    @Override
    public synchronized void stop() {
        joined.forEach(this::leave);
        client.getConnectionStateListenable().removeListener(reconnections);
        listener = null;
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }

    /** Whether this instance's session owns the node of {@code memberId} now; for tests. */
    boolean registered(String memberId) {
        try {
            Stat stat = client.checkExists().forPath(paths.member(memberId));
            return stat != null && stat.getEphemeralOwner() == sessionId();
        }
        catch (Exception ex) {
            return false;
        }
    }

    /**
     * Creates the member's ephemeral node in the background. If a node is there already and belongs to
     * another session (this instance's previous one, not yet expired, or another instance using the same
     * id), waits for it to go and tries again, so the member is never left unregistered.
     */
    private void register(String memberId) {
        if (!joined.contains(memberId)) {
            return;
        }
        String path = paths.member(memberId);
        try {
            client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).inBackground((c, event) -> {
                if (event.getResultCode() == KeeperException.Code.NODEEXISTS.intValue()) {
                    registerWhenGone(memberId, path);
                }
                else if (event.getResultCode() != KeeperException.Code.OK.intValue()) {
                    // connection trouble: the reconnection listener registers again
                    logger.debug("Registering ring member '" + memberId + "' failed with code " + event.getResultCode());
                }
            }).forPath(path, memberId.getBytes(StandardCharsets.UTF_8));
        }
        catch (Exception ex) {
            logger.warn("Could not register ring member '" + memberId + "' on zookeeper: " + ex);
        }
    }

    private void registerWhenGone(String memberId, String path) {
        try {
            client.checkExists().usingWatcher((Watcher) event -> {
                if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                    register(memberId);
                }
            }).inBackground((c, event) -> {
                if (event.getStat() == null) {
                    register(memberId); // deleted between our create and this check
                }
                else if (event.getStat().getEphemeralOwner() != sessionId()) {
                    logger.warn("Ring member node " + path + " belongs to another zookeeper session; '" + memberId
                            + "' joins when it goes (is another instance using the same ringlock.ring.self-id?)");
                }
            }).forPath(path);
        }
        catch (Exception ex) {
            logger.warn("Could not watch ring member node " + path + " on zookeeper: " + ex);
        }
    }

    private long sessionId() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        }
        catch (Exception ex) {
            return 0;
        }
    }

    private synchronized void publish() {
        Consumer<Set<String>> current = listener;
        CuratorCache membersCache = cache;
        if (current == null || membersCache == null) {
            return;
        }
        Set<String> members = new TreeSet<>();
        membersCache.stream()
                .filter(child -> paths.members().equals(ZKPaths.getPathAndNode(child.getPath()).getPath()))
                .map(ZooKeeperMembership::memberId)
                .forEach(members::add);
        if (members.equals(published)) {
            return;
        }
        published = members;
        current.accept(Set.copyOf(members));
    }

    private static String memberId(ChildData child) {
        byte[] data = child.getData();
        if (data != null && data.length > 0) {
            return new String(data, StandardCharsets.UTF_8);
        }
        // a node written by someone else: its name is the URL-encoded id
        return java.net.URLDecoder.decode(ZKPaths.getNodeFromPath(child.getPath()), StandardCharsets.UTF_8);
    }
}
