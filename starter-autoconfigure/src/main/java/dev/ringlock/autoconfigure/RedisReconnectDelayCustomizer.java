package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.core.Ordered;

/**
 * Bounds how long Lettuce waits between attempts to reconnect. Its own delay doubles up to 30 s, so after an
 * outage of half a minute a client could go on failing every lock and counter call for up to 30 s more although
 * Redis was back. Here the n-th attempt waits a random time between half and all of the smaller of
 * {@code maxDelay} and {@code minDelay × 2^(n-1)}, never less than {@code minDelay} (Lettuce's
 * {@link Delay#fullJitter}): the jitter keeps the clients of many instances from reconnecting all at once, and
 * the cap bounds how late a client notices that Redis is back.
 * <p>
 * It runs at order {@value #ORDER}, before customizers of the application's own that have no order, so that
 * their reconnect delay, if they set one, wins.
 */
final class RedisReconnectDelayCustomizer implements ClientResourcesBuilderCustomizer, Ordered {

    static final int ORDER = 0;

    private final Delay delay;

    RedisReconnectDelayCustomizer(Duration minDelay, Duration maxDelay) {
        if (minDelay.compareTo(maxDelay) > 0) {
            throw new IllegalArgumentException("'ringlock.redis.reconnect.min-delay' (" + minDelay
                    + ") must not exceed 'ringlock.redis.reconnect.max-delay' (" + maxDelay
                    + "); raise the maximum or lower the minimum");
        }
        // the doubling runs on whole milliseconds: a sub-millisecond minimum doubles from 1 ms
        this.delay = Delay.fullJitter(minDelay, maxDelay, Math.max(1, minDelay.toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    public void customize(ClientResources.Builder builder) {
        builder.reconnectDelay(delay);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
