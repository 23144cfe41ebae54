package dev.ringlock.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Where {@link BoundedScripts} sends a script (or a counter's {@code INCRBY}): the way to Redis of one client
 * library.
 */
interface ScriptChannel extends AutoCloseable {

    /** Opens the connection and checks that the server answers; for start-up. */
    void connect();

    /**
     * Sends {@code script}, opening the connection first if {@link #connect()} was not called. The future ends
     * with its answer (a Lua string as a {@link String}, a Lua array as a {@link List} of {@link Long} and
     * {@link String}), or fails with a
     * {@link org.springframework.dao.DataAccessException} when Redis failed.
     */
    <T> CompletableFuture<@Nullable T> send(RedisScript<T> script, List<String> keys, List<String> args);

    /**
     * Sends {@code INCRBY key delta}, the one command that is not a script: a script would have to read the value
     * back with a second command, since an integer reaches Lua as a double, which cannot hold every long. Fails
     * as {@link #send} does.
     */
    CompletableFuture<@Nullable Long> incrementBy(String key, long delta);

    /** Whether {@link #send} waits for the answer on the calling thread, so that a client's I/O thread must not call it. */
    boolean blocksCaller();

    @Override
    void close();
}
