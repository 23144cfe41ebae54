package dev.ringlock.ring;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * A {@link HashRingRouter} fed by a {@link Membership}. Each membership update builds a new
 * {@link HashRing} on the membership's thread and publishes it with one volatile write, so
 * {@link #route(String)} only reads the current snapshot: it never waits for a rebuild or the network.
 * <p>
 * Each change is one log line. Members join on every deploy, so a change that only adds members (or
 * changes weights) is logged at INFO. A change that removes a member is logged at WARN: a membership only
 * reports who is there, so the router cannot tell a member that left cleanly from one that crashed or was
 * dropped for missing heartbeats, and a loss must not hide among the deploy noise. The one removal it knows
 * to be clean, this instance's own when {@link #stop()} leaves the ring, is logged at INFO.
 */
public final class DefaultHashRingRouter implements HashRingRouter, SmartLifecycle {

    private static final Log logger = LogFactory.getLog(DefaultHashRingRouter.class);

    private final Membership membership;

    private final @Nullable String selfId;

    private final List<Consumer<RingChange>> listeners = new CopyOnWriteArrayList<>();

    /** At most this many joins and leaves in one update are applied to the current ring one by one. */
    private static final int INCREMENTAL_CHANGES_MAX = 16;

    private final RingRoute route;

    private volatile HashRing ring;

    private volatile boolean running;

    private final Duration initialWait;

    private final CountDownLatch ready = new CountDownLatch(1);

    /**
     * @param membership where the members come from
     * @param selfId the member id this instance registers while running, or null to only watch
     * @param initialWait how long {@link #start()} waits for the first member list
     */
    public DefaultHashRingRouter(Membership membership, @Nullable String selfId, Duration initialWait) {
        this(membership, selfId, initialWait, RingRoute.SLOTS);
    }

    /**
     * @param membership where the members come from
     * @param selfId the member id this instance registers while running, or null to only watch
     * @param initialWait how long {@link #start()} waits for the first member list
     * @param route the function the rings route keys by
     */
    public DefaultHashRingRouter(Membership membership, @Nullable String selfId, Duration initialWait,
            RingRoute route) {
        this.membership = membership;
        this.selfId = selfId;
        this.initialWait = initialWait;
        this.route = route;
        this.ring = HashRing.builder().route(route).build();
    }

    /**
     * Starts watching the members and, with a self id, joins the ring. Waits, up to {@code initialWait}, for
     * the first member list (one that holds this instance, with a self id), so that routing works as soon as
     * the application has started.
     */
    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        membership.start(this::membersChanged);
        if (selfId != null) {
            membership.join(selfId);
        }
        try {
            if (!ready.await(initialWait.toMillis(), TimeUnit.MILLISECONDS)) {
                logger.warn("No " + (selfId == null ? "" : "member list holding '" + selfId + "' ")
                        + "ring members from " + membership.backend() + " within " + initialWait
                        + "; routing may fail with NoRouteException until members arrive");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Leaves the ring (with a self id) and stops watching. */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (selfId != null) {
            membership.leave(selfId);
        }
        membership.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public @Nullable String selfId() {
        return selfId;
    }

    public String backend() {
        return membership.backend();
    }

    public Membership membership() {
        return membership;
    }

    public RingRoute ringRoute() {
        return route;
    }

    @Override
    public String route(String key) {
        return ring.nodeFor(key);
    }

    @Override
    public List<String> route(String key, int count) {
        return ring.nodesFor(key, count);
    }

    @Override
    public HashRing snapshot() {
        return ring;
    }

    @Override
    public void addListener(Consumer<RingChange> listener) {
        listeners.add(listener);
    }

    private void membersChanged(Set<String> members) {
        HashRing previous = ring;
        HashRing current;
        try {
            current = next(previous, members.stream().filter(member -> !member.isBlank()).toList());
        }
        catch (IllegalArgumentException ex) {
            // two member ids with the same 64-bit hash (practically never): keep the ring we have
            logger.warn("Ignoring a " + membership.backend() + " ring membership update: " + ex.getMessage());
            return;
        }
        boolean changed = !current.equals(previous);
        if (changed) {
            ring = current;
        }
        // signalled only after the swap: start() returns on it, and its caller must find the ring in place
        if (selfId == null || current.nodes().contains(selfId)) {
            ready.countDown();
        }
        if (!changed) {
            return;
        }
        RingChange change = RingChange.between(previous, current);
        String message = "Ring membership changed on " + membership.backend() + ": " + change;
        if (mayBeALoss(change)) {
            logger.warn(message);
        }
        else {
            logger.info(message);
        }
        for (Consumer<RingChange> listener : listeners) {
            try {
                listener.accept(change);
            }
            catch (RuntimeException ex) {
                logger.warn("A RingChange listener failed; the ring is updated regardless", ex);
            }
        }
    }

    /**
     * The ring of {@code members}. A few joins and leaves are applied to the current ring node by node, which
     * derives its slot table instead of scoring every slot on every node: tens of milliseconds at 1,000
     * members instead of about a second.
     */
    private HashRing next(HashRing previous, List<String> members) {
        Set<String> added = new TreeSet<>(members);
        added.removeAll(previous.nodes());
        Set<String> removed = new TreeSet<>(previous.nodes());
        removed.removeAll(members);
        if (previous.isEmpty() || added.size() + removed.size() > INCREMENTAL_CHANGES_MAX) {
            return HashRing.of(members, route);
        }
        // the previous ring holds only members the membership reported, each with weight 1, as of() makes them
        HashRing next = previous;
        for (String member : removed) {
            next = next.withoutNode(member);
        }
        for (String member : added) {
            // fails on a hash clash, like of() would: the caller keeps the ring it has
            next = next.withNode(member);
        }
        return next;
    }

    /** Whether the change removed a member other than this instance leaving on {@link #stop()}. */
    private boolean mayBeALoss(RingChange change) {
        for (String removed : change.removed()) {
            if (running || !removed.equals(selfId)) {
                return true;
            }
        }
        return false;
    }
}
