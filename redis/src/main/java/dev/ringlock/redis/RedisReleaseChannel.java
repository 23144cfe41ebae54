package dev.ringlock.redis;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The subscription to a keyspace's release channel, on which the release scripts of locks and leader keys
 * announce the key they freed. One instance per application and keyspace is shared by {@link RedisLockProvider}
 * and {@link RedisLeaderElectionProvider} (their constructors that take it), so that the application holds one
 * pub/sub connection for both instead of one each.
 * <p>
 * {@link #afterPropertiesSet()} subscribes and fails when Redis cannot be reached; {@link #destroy()} ends the
 * subscription. A provider given a shared channel neither starts nor ends it: its owner (the application
 * context, when it is a bean) does, starting it before and ending it after the providers that use it. Pub/sub
 * is at most once: a message lost to a reconnect only makes a waiter or a candidate wait for its poll.
 * <p>
 * Messages are handed to the subscribers on the client's thread, one after the other; a subscriber must only
 * schedule work, never block. One that throws is logged and the others are still told.
 */
public final class RedisReleaseChannel implements InitializingBean, DisposableBean {

    private static final Log logger = LogFactory.getLog(RedisReleaseChannel.class);

    private final RedisKeyspace keyspace;
    private final RedisMessageListenerContainer container;
    private final Set<Consumer<String>> subscribers = new CopyOnWriteArraySet<>();
    private boolean started;

    public RedisReleaseChannel(RedisConnectionFactory connectionFactory, RedisKeyspace keyspace) {
        Objects.requireNonNull(connectionFactory, "connectionFactory");
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.container = new RedisMessageListenerContainer();
        this.container.setConnectionFactory(connectionFactory);
        // The subscribers only signal or schedule: run them on the client's thread, not a thread per message.
        this.container.setTaskExecutor(Runnable::run);
        this.container.addMessageListener(new Dispatch(), new ChannelTopic(keyspace.releaseChannel()));
    }

    /** The keyspace whose releases this channel hears. */
    public RedisKeyspace keyspace() {
        return keyspace;
    }

    /** Subscribes to the release channel, once; fails when Redis cannot be reached. */
    @Override
    public synchronized void afterPropertiesSet() {
        if (!started) {
            container.afterPropertiesSet();
            container.start();
            started = true;
        }
    }

    @Override
    public synchronized void destroy() throws Exception {
        container.destroy();
    }

    /** Calls {@code subscriber} with the Redis key of every release announced from now on, until {@link #unsubscribe}. */
    void subscribe(Consumer<String> subscriber) {
        subscribers.add(Objects.requireNonNull(subscriber, "subscriber"));
    }

    void unsubscribe(Consumer<String> subscriber) {
        subscribers.remove(subscriber);
    }

    /** Subscribers now; for tests that check a provider left nothing behind. */
    int subscribers() {
        return subscribers.size();
    }

    private final class Dispatch implements MessageListener {

        @Override
        public void onMessage(Message message, byte @Nullable [] pattern) {
            String releasedKey = new String(message.getBody(), StandardCharsets.UTF_8);
            for (Consumer<String> subscriber : subscribers) {
                try {
                    subscriber.accept(releasedKey);
                }
                catch (RuntimeException ex) {
                    logger.warn("A subscriber of release channel '" + keyspace.releaseChannel() + "' failed", ex);
                }
            }
        }
    }
}
