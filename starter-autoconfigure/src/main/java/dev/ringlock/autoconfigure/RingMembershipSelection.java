package dev.ringlock.autoconfigure;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Decides where the ring's members come from: {@code ringlock.ring.membership}, else {@code static} when
 * {@code ringlock.ring.nodes} lists any, else the ring's backend as {@link BackendSelection} picks it for
 * the feature {@code ring} (the {@code local} backend meaning a static ring).
 */
final class RingMembershipSelection {

    private RingMembershipSelection() {
    }

    /** The chosen membership, or null when none is named and no backend is chosen (or the name is invalid). */
    static @Nullable RingMembership select(Environment environment, @Nullable ListableBeanFactory beanFactory) {
        Binder binder = Binder.get(environment);
        String named = binder.bind("ringlock.ring.membership", String.class).orElse(null);
        if (named != null && !named.isBlank()) {
            // an invalid name selects nothing; binding RinglockProperties then reports it with the valid values
            try {
                return RingMembership.valueOf(named.trim().toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException ex) {
                return null;
            }
        }
        if (!binder.bind("ringlock.ring.nodes", Bindable.listOf(String.class)).orElse(List.of()).isEmpty()) {
            return RingMembership.STATIC;
        }
        RinglockBackend backend = BackendSelection.select(RingAutoConfiguration.FEATURE, environment, beanFactory);
        if (backend == null) {
            return null;
        }
        return switch (backend) {
            case REDIS -> RingMembership.REDIS;
            case ZOOKEEPER -> RingMembership.ZOOKEEPER;
            case LOCAL -> RingMembership.STATIC;
        };
    }
}
