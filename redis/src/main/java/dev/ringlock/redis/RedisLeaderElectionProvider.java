package dev.ringlock.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.Leadership;
import dev.ringlock.support.DueActions;
import dev.ringlock.support.Identifiers;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Leader election on Redis.
 * <ul>
 * <li>Per group one leader key, {@code <prefix>:{leader:<group>}}, holding {@code <term>:<member id>} with the lease
 * as its TTL. A candidate takes it with one script ({@code leader-acquire.lua}) that issues the term as lock
 * acquisition issues a fencing token: {@code max(last + 1, TIME in µs)} from a fence key per group, so terms keep
 * increasing across members, restarts and a server that lost its data.</li>
 * <li>A leader trusts its term until the request that won or last renewed it was sent plus the lease, minus the
 * margin lock handles use ({@link RedisLockHandle#deadline}). Renewals run at a third of the lease on the shared
 * scheduler, one sweep for all groups ({@link DueActions}); one that finds the key gone or another term's revokes
 * the term with {@code LEASE_LOST}.</li>
 * <li>A yield or a close deletes the key if it still holds this term and announces it on the release channel;
 * the other candidates try at once. A yielding member waits the poll interval, at most {@link #MAX_YIELD_BACK_OFF}, before trying again, so that
 * another candidate takes it first; if none does, it leads again with a new term.</li>
 * <li>Candidates try on the shared scheduler, one asynchronous script each, no thread per group: when a release
 * is announced, and every {@code pollInterval} without one (pub/sub is at most once). Each try reads the
 * holder's value, so followers see who leads.</li>
 * </ul>
 * A script whose answer is lost (a timeout) may have taken the key without this member knowing: the key then
 * ends with its lease, and nobody leads until it does.
 */
public final class RedisLeaderElectionProvider implements LeaderElectionProvider, InitializingBean, DisposableBean {

    /** Sweeps due this close together run as one. */
    private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** The longest a yielding member stays out of the race for its group when no one else takes it. */
    static final Duration MAX_YIELD_BACK_OFF = Duration.ofMillis(250);

    private static final String FENCE_TTL_MILLIS = Long.toString(RedisLockProvider.FENCE_TTL.toMillis());

    private final RedisKeyspace keyspace;
    private final BoundedScripts scripts;
    private final ScheduledExecutorService scheduler;
    private final long leaseMillis;
    private final long renewNanos;
    private final long pollNanos;
    private final long yieldBackOffNanos;
    private final DueActions<RedisLeadership> attempts;
    private final DueActions<RedisLeadership> renewals;
    /** The open candidacies of this provider by leader key, woken by release messages. */
    private final ConcurrentHashMap<String, Set<RedisLeadership>> candidates = new ConcurrentHashMap<>();
    private final RedisMessageListenerContainer listenerContainer;

    /**
     * @param scheduler the shared scheduler that runs candidates' tries and renewals; not shut down here
     * @param leaseTime how long a leader key lives without renewal ({@code ringlock.leader.lease-time})
     * @param pollInterval how often a candidate tries without a release message ({@code ringlock.lock.poll-interval})
     */
    public RedisLeaderElectionProvider(RedisConnectionFactory connectionFactory, RedisKeyspace keyspace,
            ScheduledExecutorService scheduler, Duration leaseTime, Duration pollInterval) {
        Objects.requireNonNull(connectionFactory, "connectionFactory");
        Objects.requireNonNull(leaseTime, "leaseTime");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (leaseTime.toMillis() < 3) {
            throw new IllegalArgumentException("'ringlock.leader.lease-time' must be at least 3 ms, was " + leaseTime);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("'ringlock.lock.poll-interval' must be positive, was " + pollInterval);
        }
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.scripts = new BoundedScripts(connectionFactory);
        this.leaseMillis = leaseTime.toMillis();
        this.renewNanos = TimeUnit.MILLISECONDS.toNanos(leaseMillis / 3);
        this.pollNanos = pollInterval.toNanos();
        this.yieldBackOffNanos = Math.min(pollNanos, MAX_YIELD_BACK_OFF.toNanos());
        this.attempts = new DueActions<>(scheduler, BATCH_NANOS, RedisLeadership::attempt);
        this.renewals = new DueActions<>(scheduler, BATCH_NANOS, RedisLeadership::renew);
        this.listenerContainer = new RedisMessageListenerContainer();
        this.listenerContainer.setConnectionFactory(connectionFactory);
        // The listener only schedules tries: run it on the client's thread, not a thread per message.
        this.listenerContainer.setTaskExecutor(Runnable::run);
        this.listenerContainer.addMessageListener(new Releases(), new ChannelTopic(keyspace.releaseChannel()));
    }

    /** Connects and subscribes to the release channel; fails when Redis cannot be reached. */
    @Override
    public void afterPropertiesSet() {
        scripts.connect();
        listenerContainer.afterPropertiesSet();
        listenerContainer.start();
    }

    @Override
    public void destroy() throws Exception {
        listenerContainer.destroy();
        scripts.close();
    }

    @Override
    public String backend() {
        return RedisBackend.NAME;
    }

    @Override
    public Leadership join(String group, String memberId) {
        Identifiers.requireValid("group", group);
        Identifiers.requireValid("memberId", memberId);
        RedisLeadership candidacy = new RedisLeadership(this, group, memberId, keyspace.leaderKey(group));
        candidates.computeIfAbsent(candidacy.leaderKey(), k -> ConcurrentHashMap.newKeySet()).add(candidacy);
        attempts.add(candidacy, System.nanoTime());
        return candidacy;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    long yieldBackOffNanos() {
        return yieldBackOffNanos;
    }

    void stopRenewing(RedisLeadership leadership) {
        renewals.remove(leadership);
    }

    long leaseMillis() {
        return leaseMillis;
    }

    /** Schedules {@code candidacy}'s next try at {@code atNanos}. */
    void tryAt(RedisLeadership candidacy, long atNanos) {
        attempts.add(candidacy, atNanos);
    }

    void tryAfterPoll(RedisLeadership candidacy) {
        tryAt(candidacy, System.nanoTime() + pollNanos);
    }

    void tryAfterYield(RedisLeadership candidacy) {
        tryAt(candidacy, System.nanoTime() + yieldBackOffNanos);
    }

    void renewAfterPeriod(RedisLeadership leadership) {
        renewals.add(leadership, System.nanoTime() + renewNanos);
    }

    /** Stops every try and renewal of a closed candidacy. */
    void forget(RedisLeadership candidacy) {
        candidates.computeIfPresent(candidacy.leaderKey(), (k, set) -> {
            set.remove(candidacy);
            return set.isEmpty() ? null : set;
        });
        attempts.remove(candidacy);
        renewals.remove(candidacy);
    }

    /** Sends the acquire script; the answer is {@code 1<value>} when taken, {@code 0<holder's value>} otherwise. */
    CompletableFuture<@Nullable String> sendAcquire(RedisLeadership candidacy) {
        return scripts.send(RedisLeaderScripts.ACQUIRE,
                List.of(candidacy.leaderKey(), keyspace.fenceKey(candidacy.leaderKey())),
                List.of(candidacy.memberId(), Long.toString(leaseMillis), FENCE_TTL_MILLIS), pollTimeout(), scheduler);
    }

    CompletableFuture<@Nullable Long> sendRenew(String leaderKey, String value) {
        return scripts.send(RedisLeaderScripts.RENEW, List.of(leaderKey), List.of(value, Long.toString(leaseMillis)),
                Duration.ofNanos(renewNanos), scheduler);
    }

    CompletableFuture<@Nullable Long> sendRelease(String leaderKey, String value) {
        return scripts.send(RedisLeaderScripts.RELEASE, List.of(leaderKey), List.of(value, keyspace.releaseChannel()),
                Duration.ofMillis(Math.max(leaseMillis, RedisLockProvider.MIN_REPLY_WAIT.toMillis())), scheduler);
    }

    private Duration pollTimeout() {
        return RedisLockProvider.max(Duration.ofNanos(pollNanos), RedisLockProvider.MIN_REPLY_WAIT);
    }

    /** Candidacies, tries and renewals this provider still keeps; for tests that check nothing is left behind. */
    String leftBehind() {
        return "candidacies " + candidates.size() + ", tries " + attempts.size() + ", renewals " + renewals.size();
    }

    boolean keepsNothing() {
        return candidates.isEmpty() && attempts.size() == 0 && renewals.size() == 0;
    }

    /** A release on the shared channel (of a leader key or of a lock): the candidates of that key try now. */
    private final class Releases implements MessageListener {

        @Override
        public void onMessage(Message message, byte @Nullable [] pattern) {
            Set<RedisLeadership> waiting = candidates.get(new String(message.getBody(), StandardCharsets.UTF_8));
            if (waiting != null) {
                long now = System.nanoTime();
                waiting.forEach(candidacy -> candidacy.released(now));
            }
        }
    }
}
