package dev.ringlock.zookeeper;

import java.util.List;

import dev.ringlock.counter.CounterEncodingException;
import dev.ringlock.zookeeper.ZooKeeperCounterCodec.Content;
import org.jspecify.annotations.Nullable;

/**
 * What this client last knew of a counter's node: whether it exists, its version, its content, or why its
 * content is not a counter ({@code foreign}: another program wrote it in another encoding).
 */
record KnownCounter(boolean exists, int version, Content content, @Nullable CounterEncodingException foreign) {

    /** A node that does not exist: it reads as 0, and the next write creates it. */
    static KnownCounter absent() {
        return new KnownCounter(false, -1, new Content(0, List.of()), null);
    }
}
