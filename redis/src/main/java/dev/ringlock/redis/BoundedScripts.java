package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import dev.ringlock.support.Interrupts;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.ClassUtils;

/**
 * The one way this module talks to Redis: every command of locks, counters and ring membership is a script
 * sent here (a counter's addition is a plain {@code INCRBY}), and every call is bounded by a deadline its caller
 * states.
 * <p>
 * The client's own command timeout (Lettuce's default is 60 s, {@code spring.data.redis.timeout}) is no bound
 * Ringlock can live with: a waiter told to wait 2 s, or a watchdog that must renew every third of a lease,
 * would sit on a server that stopped answering (frozen, black-holed by the network) for a minute. So scripts
 * go out asynchronously (on Lettuce, through {@link LettuceScriptChannel}) and the answer is awaited for a
 * given time only. The rule for that time: locks wait as long as the caller's wait time or the lease allows
 * (at least {@link RedisLockProvider#MIN_REPLY_WAIT}), counters {@code ringlock.counter.timeout}, membership one
 * heartbeat period. A script whose answer came too late may still have run: callers decide what that means.
 * <p>
 * The connection is opened by {@link #connect()} at start-up: opened on first use instead, it would block
 * that caller (the acquire of a waiter on a frozen server, say) for the client's own timeout, before any
 * bound of ours applies. Once open, Lettuce reconnects it by itself after a failure.
 * <p>
 * With another client (Jedis), scripts run synchronously through the template, bounded by the client's own
 * timeout.
 */
final class BoundedScripts implements AutoCloseable {

    private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
            BoundedScripts.class.getClassLoader());

    private final ScriptChannel channel;
    private final RedisConnectionFactory connectionFactory;
    /** Where acknowledged writes go; null while none is required, when they are plain {@link #send}s. */
    private ReplicaRequirement.@Nullable Acknowledging acknowledging;

    BoundedScripts(RedisConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
        this.channel = LETTUCE_PRESENT && connectionFactory instanceof LettuceConnectionFactory lettuce
                ? new LettuceScriptChannel(lettuce)
                : new TemplateScriptChannel(new StringRedisTemplate(connectionFactory));
    }

    /** Opens the connection and checks that the server answers; for start-up. */
    void connect() {
        channel.connect();
    }

    /**
     * From now on, the writes sent through {@link #sendAcknowledged} wait for the replicas {@code asked} requires;
     * for start-up, after {@link #connect()}.
     * @param component what the writes are, for the log ("locks", "leader terms")
     * @throws RedisReplicasUnavailableException when the topology cannot give that
     */
    void acknowledge(RedisReplicaAcknowledgement asked, String component) {
        acknowledging = ReplicaRequirement.open(connectionFactory, asked, component);
    }

    /**
     * Whether the keys of one script must all be in one Cluster slot: on a Cluster, and with clients other than
     * Lettuce, whose topology is not asked here (keeping to one slot is right on every topology).
     */
    boolean keysInOneSlot() {
        return !(connectionFactory instanceof LettuceConnectionFactory lettuce) || lettuce.isClusterAware();
    }

    /** Whether a send waits for its answer on the calling thread (clients other than Lettuce). */
    boolean blocksCaller() {
        return channel.blocksCaller();
    }

    /** Whether writes wait for replicas; false costs acknowledged writes nothing more than a plain one. */
    boolean acknowledging() {
        return acknowledging != null;
    }

    @Override
    public void close() {
        channel.close();
        ReplicaRequirement.Acknowledging open = acknowledging;
        if (open != null) {
            open.channel().close();
        }
    }

    /**
     * As {@link #send}, and when acknowledgement is required, a {@code WAIT} after the script on the same
     * connection: an answer for which {@code wrote} is true (the script did write) fails with a
     * {@link RedisReplicasNotAcknowledgedException} when fewer replicas confirmed it in time. Then the write stays
     * on the master: undoing it is the caller's. The wait for the replicas is {@code timeout} at most, and the
     * whole is bounded by {@code timeout} plus that wait.
     */
    <T> CompletableFuture<@Nullable T> sendAcknowledged(RedisScript<T> script, List<String> keys, List<String> args,
            Duration timeout, ScheduledExecutorService timer, Predicate<@Nullable T> wrote) {
        ReplicaRequirement.Acknowledging open = acknowledging;
        if (open == null) {
            return send(script, keys, args, timeout, timer);
        }
        long waitMillis = Math.max(1, Math.min(open.waitMillis(), timeout.toMillis()));
        CompletableFuture<@Nullable T> answer = new CompletableFuture<>();
        open.channel().send(script, keys, args, open.replicas(), waitMillis, open.fsync())
                .whenComplete((replicated, failure) -> {
                    if (failure != null) {
                        answer.completeExceptionally(failure);
                    }
                    else if (replicated.acknowledged() < open.replicas() && wrote.test(replicated.value())) {
                        answer.completeExceptionally(new RedisReplicasNotAcknowledgedException(
                                replicated.acknowledged(), open.replicas(), waitMillis, open.fsync(), replicated.value()));
                    }
                    else {
                        answer.complete(replicated.value());
                    }
                });
        return bounded(answer, timeout.plusMillis(waitMillis), timer);
    }

    /**
     * As {@link #send}, for undoing what an acknowledged script may have written: when acknowledgement is required,
     * on the connection of the acknowledged scripts, so that it cannot run before the write it undoes.
     */
    <T> CompletableFuture<@Nullable T> sendUndo(RedisScript<T> script, List<String> keys, List<String> args,
            Duration timeout, ScheduledExecutorService timer) {
        ReplicaRequirement.Acknowledging open = acknowledging;
        if (open == null) {
            return send(script, keys, args, timeout, timer);
        }
        return bounded(open.channel().sendUnacknowledged(script, keys, args), timeout, timer);
    }

    /**
     * As {@link #call}, acknowledged as by {@link #sendAcknowledged}, waiting at most {@code timeout} plus the
     * replicas' wait.
     * @throws RedisReplicasNotAcknowledgedException when {@code wrote} and too few replicas confirmed it
     */
    <T> @Nullable T callAcknowledged(RedisScript<T> script, List<String> keys, List<String> args, Duration timeout,
            ScheduledExecutorService timer, Predicate<@Nullable T> wrote) throws InterruptedException {
        ReplicaRequirement.Acknowledging open = acknowledging;
        if (open == null) {
            return call(script, keys, args, timeout);
        }
        Duration bound = timeout.plusMillis(open.waitMillis());
        return await(sendAcknowledged(script, keys, args, timeout, timer, wrote), bound);
    }

    /**
     * As {@link #callAcknowledged}, for a script that gives a lock back (a hand-over): waits for the answer
     * through interrupts, as {@link #callGivingBack} does.
     */
    <T> @Nullable T callAcknowledgedGivingBack(RedisScript<T> script, List<String> keys, List<String> args,
            Duration timeout, ScheduledExecutorService timer, Predicate<@Nullable T> wrote) {
        ReplicaRequirement.Acknowledging open = acknowledging;
        Duration bound = open == null ? timeout : timeout.plusMillis(open.waitMillis());
        return awaitThroughInterrupts(sendAcknowledged(script, keys, args, timeout, timer, wrote), bound);
    }

    /**
     * Sends {@code script}; the future fails with a {@link TimeoutException} when no answer came within
     * {@code timeout}.
     * @param timer ends the wait when no answer came in time; the caller's shared scheduler, not shut down here
     */
    <T> CompletableFuture<@Nullable T> send(RedisScript<T> script, List<String> keys, List<String> args,
            Duration timeout, ScheduledExecutorService timer) {
        return bounded(channel.send(script, keys, args), timeout, timer);
    }

    private static <T> CompletableFuture<@Nullable T> bounded(CompletableFuture<@Nullable T> answer, Duration timeout,
            ScheduledExecutorService timer) {
        if (!answer.isDone()) {
            ScheduledFuture<?> expiry = timer.schedule(
                    () -> answer.completeExceptionally(new TimeoutException("No answer from Redis within "
                            + timeout.toMillis() + " ms")), timeout.toNanos(), TimeUnit.NANOSECONDS);
            answer.whenComplete((value, failure) -> expiry.cancel(false));
        }
        return answer;
    }

    /**
     * Runs {@code script} and waits at most {@code timeout} for its answer.
     * @throws QueryTimeoutException when no answer came in time (the script may have run)
     * @throws DataAccessException when Redis failed
     */
    <T> @Nullable T call(RedisScript<T> script, List<String> keys, List<String> args, Duration timeout)
            throws InterruptedException {
        return await(channel.send(script, keys, args), timeout);
    }

    /**
     * As {@link #call}, for a script that gives a lock back: an interrupt while the answer is awaited does not end
     * the wait (bounded by {@code timeout} anyway) and is set again on return, since only the answer says whether
     * the lock was still held (see {@link Interrupts#getThroughInterrupts}).
     */
    <T> @Nullable T callGivingBack(RedisScript<T> script, List<String> keys, List<String> args, Duration timeout) {
        return awaitThroughInterrupts(channel.send(script, keys, args), timeout);
    }

    /**
     * {@code INCRBY key delta}, waiting at most {@code timeout} for the answer; fails as {@link #call} does.
     */
    @Nullable Long incrementBy(String key, long delta, Duration timeout) throws InterruptedException {
        return await(channel.incrementBy(key, delta), timeout);
    }

    private static <T> @Nullable T await(CompletableFuture<@Nullable T> answer, Duration timeout)
            throws InterruptedException {
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            answer.cancel(true);
            throw ex;
        }
        catch (TimeoutException ex) {
            answer.cancel(true);
            throw timedOut(timeout, ex);
        }
        catch (ExecutionException ex) {
            throw failed(ex);
        }
    }

    private static <T> @Nullable T awaitThroughInterrupts(CompletableFuture<@Nullable T> answer, Duration timeout) {
        try {
            return Interrupts.getThroughInterrupts(answer, timeout);
        }
        catch (TimeoutException ex) {
            answer.cancel(true);
            throw timedOut(timeout, ex);
        }
        catch (ExecutionException ex) {
            throw failed(ex);
        }
    }

    private static DataAccessException failed(ExecutionException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof DataAccessException dataAccess) {
            return dataAccess;
        }
        return new RedisSystemException("Redis failed: " + cause, cause);
    }

    private static QueryTimeoutException timedOut(Duration timeout, TimeoutException cause) {
        return new QueryTimeoutException("Redis did not answer within " + timeout.toMillis() + " ms", cause);
    }
}
