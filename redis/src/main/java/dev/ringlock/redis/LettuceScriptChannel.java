package dev.ringlock.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Scripts on Lettuce's asynchronous API, on the connection Spring Data Redis shares (the factory's native
 * connection: same server, database, credentials and TLS as the application's templates).
 * <p>
 * Why not the templates: a lock cycle is two scripts, and Spring Data Redis's template layers (the reactive one
 * for its timeouts, or the blocking one) cost about as much per script as the round trip itself on a loopback
 * server; measured in {@code benchmarks/RESULTS.md}. Here a script is one {@code EVALSHA}, sent again as
 * {@code EVAL} only when the server does not know it yet (after a restart, say), and its answer is a future
 * that the caller waits for as long as it chooses.
 */
final class LettuceScriptChannel implements ScriptChannel {

    private static final LettuceExceptionConverter EXCEPTIONS = new LettuceExceptionConverter();

    private final LettuceConnectionFactory connectionFactory;
    private final Map<RedisScript<?>, String> shas = new ConcurrentHashMap<>();
    private final ReentrantLock opening = new ReentrantLock();
    private volatile @Nullable LettuceConnection connection;
    private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> commands;

    LettuceScriptChannel(LettuceConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    public void connect() {
        RedisClusterAsyncCommands<byte[], byte[]> async = open();
        try {
            async.ping().get();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RedisSystemException("Interrupted while connecting to Redis", ex);
        }
        catch (ExecutionException ex) {
            throw translate(ex.getCause());
        }
    }

    /**
     * The open connection's commands, opening it first if needed. Kept open for the channel's life: with the
     * factory's shared native connection (its default) this costs nothing more; without it, this is the
     * channel's own connection, closed by close().
     */
    private RedisClusterAsyncCommands<byte[], byte[]> open() {
        RedisClusterAsyncCommands<byte[], byte[]> async = commands;
        if (async != null) {
            return async;
        }
        // a lock, not a monitor: the first callers wait here while the connection opens, which virtual threads
        // must do unmounted (a monitor pins them on Java 21)
        opening.lock();
        try {
            if (commands == null) {
                LettuceConnection opened = (LettuceConnection) connectionFactory.getConnection();
                connection = opened;
                commands = opened.getNativeConnection();
            }
            return commands;
        }
        finally {
            opening.unlock();
        }
    }

    @Override
    public boolean blocksCaller() {
        return false;
    }

    @Override
    public <T> CompletableFuture<@Nullable T> send(RedisScript<T> script, List<String> keys, List<String> args) {
        return onConnection(async -> evaluate(async, sha(script), script, keys, args));
    }

    @Override
    public CompletableFuture<@Nullable Long> incrementBy(String key, long delta) {
        return onConnection(async -> {
            CompletableFuture<@Nullable Long> answer = new CompletableFuture<>();
            async.incrby(key.getBytes(StandardCharsets.UTF_8), delta)
                    .whenComplete((value, failure) -> settle(answer, value, failure));
            return answer;
        });
    }

    /** {@code request} on the open connection, or a failed future when it cannot be opened. */
    private <T> CompletableFuture<@Nullable T> onConnection(
            Function<RedisClusterAsyncCommands<byte[], byte[]>, CompletableFuture<@Nullable T>> request) {
        RedisClusterAsyncCommands<byte[], byte[]> async;
        try {
            async = open();
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(translate(ex));
        }
        return request.apply(async);
    }

    /** {@code EVALSHA}, or {@code EVAL} when the server does not know the script yet, on {@code async}. */
    static <T> CompletableFuture<@Nullable T> evaluate(RedisClusterAsyncCommands<byte[], byte[]> async, String sha,
            RedisScript<T> script, List<String> keys, List<String> args) {
        ScriptOutputType type = outputType(script);
        byte[][] keyBytes = bytes(keys);
        byte[][] argBytes = bytes(args);
        CompletableFuture<@Nullable T> answer = new CompletableFuture<>();
        async.<T>evalsha(sha, type, keyBytes, argBytes).whenComplete((value, failure) -> {
            if (failure != null && isNoScript(failure)) {
                async.<T>eval(script.getScriptAsString(), type, keyBytes, argBytes)
                        .whenComplete((evaluated, evalFailure) -> settle(answer, evaluated, evalFailure));
            }
            else {
                settle(answer, value, failure);
            }
        });
        return answer;
    }

    /**
     * The script's SHA1, asked of the script once: Spring's {@code DefaultRedisScript} takes a lock on every call
     * to check whether its source changed, which threads sending scripts at once would queue on.
     */
    private String sha(RedisScript<?> script) {
        return shas.computeIfAbsent(script, RedisScript::getSha1);
    }

    @SuppressWarnings("unchecked")
    private static <T> void settle(CompletableFuture<@Nullable T> answer, @Nullable T value, @Nullable Throwable failure) {
        if (failure == null) {
            answer.complete((T) decode(value));
        }
        else {
            answer.completeExceptionally(translate(failure));
        }
    }

    /** Lua strings arrive as bytes (the connection's codec): as text, as through the templates. */
    static @Nullable Object decode(@Nullable Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                if (element instanceof byte[] || element instanceof List<?>) {
                    return list.stream().map(LettuceScriptChannel::decode).toList();
                }
            }
        }
        return value;
    }

    @Override
    public void close() {
        opening.lock();
        try {
            LettuceConnection opened = connection;
            commands = null;
            connection = null;
            if (opened != null) {
                opened.close();
            }
        }
        finally {
            opening.unlock();
        }
    }

    static boolean isNoScript(Throwable failure) {
        return unwrap(failure) instanceof RedisNoScriptException;
    }

    static RuntimeException translate(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof DataAccessException dataAccess) {
            return dataAccess;
        }
        if (cause instanceof Exception exception) {
            DataAccessException translated = EXCEPTIONS.convert(exception);
            if (translated != null) {
                return translated;
            }
        }
        return new RedisSystemException("Redis failed: " + cause, cause);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Ringlock's scripts answer an integer, a string, or a list of integers and strings. */
    static ScriptOutputType outputType(RedisScript<?> script) {
        Class<?> type = script.getResultType();
        if (type == Long.class) {
            return ScriptOutputType.INTEGER;
        }
        if (type == String.class) {
            return ScriptOutputType.VALUE;
        }
        if (type == List.class) {
            return ScriptOutputType.MULTI;
        }
        throw new IllegalArgumentException("No Lettuce output for a script answering " + type);
    }

    static byte[][] bytes(List<String> values) {
        byte[][] bytes = new byte[values.size()][];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }
}
