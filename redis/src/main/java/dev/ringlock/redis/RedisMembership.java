package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.ringlock.ring.Membership;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Ring members in a Redis sorted set scored by the server time of each member's last heartbeat.
 * <p>
 * Every third of the member timeout, on the shared scheduler, one script heartbeats the members this
 * instance joined, drops every member silent for longer than the timeout, and returns the live ones. Joins,
 * leaves and drops are announced on a channel, and every instance refreshes when it hears one, so the ring
 * converges at once rather than at the next heartbeat; the periodic refresh covers a lost message.
 * Refreshes are sent asynchronously with a timeout of one period, so a slow server never stalls the
 * scheduler, and the listener is called on the scheduler thread only. Joins and leaves wait for their answer
 * as long as one member timeout at most (past it, the member would have been dropped anyway); every command
 * goes through {@link BoundedScripts}, whatever the client's own command timeout.
 */
public final class RedisMembership implements Membership {

    private static final Log logger = LogFactory.getLog(RedisMembership.class);

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List<String>> HEARTBEAT = (RedisScript) LuaScripts.load("ring-heartbeat.lua",
            List.class);

    private static final RedisScript<Long> LEAVE = LuaScripts.load("ring-leave.lua", Long.class);

    private final RedisConnectionFactory connectionFactory;
    private final BoundedScripts scripts;
    private final ScheduledExecutorService scheduler;
    private final String membersKey;
    private final String channel;
    private final long timeoutMillis;
    private final long periodMillis;
    private final Set<String> joined = new ConcurrentSkipListSet<>();

    private @Nullable RedisMessageListenerContainer subscription;
    private @Nullable ScheduledFuture<?> heartbeats;
    private volatile @Nullable Consumer<Set<String>> listener;
    private @Nullable Set<String> published;

    /**
     * @param memberTimeout how long a member may stay silent before it is dropped
     *     ({@code ringlock.ring.member-timeout}); members heartbeat at a third of it
     */
    public RedisMembership(RedisConnectionFactory connectionFactory, RedisKeyspace keyspace,
            ScheduledExecutorService scheduler, Duration memberTimeout) {
        this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
        if (memberTimeout.toMillis() < 3) {
            throw new IllegalArgumentException("'ringlock.ring.member-timeout' must be at least 3ms, was " + memberTimeout);
        }
        this.scripts = new BoundedScripts(connectionFactory);
        this.scheduler = scheduler;
        this.membersKey = keyspace.ringMembersKey();
        this.channel = keyspace.ringChangedChannel();
        this.timeoutMillis = memberTimeout.toMillis();
        this.periodMillis = Math.max(1, timeoutMillis / 3);
    }

    @Override
    public String backend() {
        return RedisBackend.NAME;
    }

    @Override
    public synchronized void start(Consumer<Set<String>> listener) {
        if (this.listener != null) {
            return;
        }
        this.listener = listener;
        scripts.connect();
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        // Messages arrive on the client's event-loop thread; the refresh goes to the scheduler, since even an
        // asynchronous send may block there: the first one opens the shared connection, and with Redis Cluster
        // opening it needs the very event loop this message holds (a deadlock the Cluster tests caught).
        container.setTaskExecutor(Runnable::run);
        container.addMessageListener((message, pattern) -> refreshSoon(), new ChannelTopic(channel));
        container.afterPropertiesSet();
        container.start();
        subscription = container;
        heartbeats = scheduler.scheduleWithFixedDelay(this::refresh, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void join(String memberId) {
        joined.add(memberId);
        // synchronously, so the member is registered (and announced) when start-up goes on
        call(HEARTBEAT, heartbeatArguments());
        refresh();
    }

    @Override
    public void leave(String memberId) {
        if (joined.remove(memberId)) {
            call(LEAVE, List.of(channel, memberId));
            refresh();
        }
    }

    @Override
    public synchronized void stop() {
        for (String memberId : new ArrayList<>(joined)) {
            try {
                leave(memberId);
            }
            catch (RuntimeException ex) {
                logger.warn("Could not remove ring member '" + memberId + "' from redis; the others drop it after "
                        + "its member timeout: " + ex);
            }
        }
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        if (subscription != null) {
            try {
                subscription.destroy();
            }
            catch (Exception ex) {
                logger.debug("Closing the ring membership subscription failed", ex);
            }
        }
        scripts.close();
        listener = null;
    }

    /** Runs {@code script} on the members key, waiting for its answer one member timeout at most. */
    private void call(RedisScript<?> script, List<String> arguments) {
        try {
            scripts.call(script, List.of(membersKey), arguments, Duration.ofMillis(timeoutMillis));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RedisSystemException("Interrupted while waiting for redis key '" + membersKey + "'", ex);
        }
    }

    private void refreshSoon() {
        try {
            scheduler.execute(this::refresh);
        }
        catch (RejectedExecutionException ignore) {
            // the application is shutting down; nobody listens for the ring any more
        }
    }

    private void refresh() {
        if (listener == null) {
            return;
        }
        send().whenComplete((members, failure) -> {
            if (failure != null) {
                logger.warn("Refreshing the ring members from redis key '" + membersKey + "' failed; retrying in "
                        + periodMillis + " ms: " + failure);
            }
            else if (members != null) {
                scheduler.execute(() -> publish(members));
            }
        });
    }

    private synchronized void publish(List<String> members) {
        Consumer<Set<String>> current = listener;
        Set<String> live = new TreeSet<>(members);
        if (current == null || live.equals(published)) {
            return;
        }
        published = live;
        current.accept(Set.copyOf(live));
    }

    private CompletableFuture<@Nullable List<String>> send() {
        return scripts.send(HEARTBEAT, List.of(membersKey), heartbeatArguments(), Duration.ofMillis(periodMillis),
                scheduler);
    }

    private List<String> heartbeatArguments() {
        List<String> arguments = new ArrayList<>();
        arguments.add(Long.toString(timeoutMillis));
        arguments.add(channel);
        arguments.addAll(joined);
        return arguments;
    }
}
