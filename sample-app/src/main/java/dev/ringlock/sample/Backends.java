package dev.ringlock.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.ringlock.counter.CounterStore;
import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.ring.DefaultHashRingRouter;
import dev.ringlock.ring.HashRingRouter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Which backend each Ringlock feature of this instance runs on, as the beans themselves report it.
 */
@Component
class Backends {

    private final Map<String, String> byFeature;

    Backends(ObjectProvider<LockProvider> locks, ObjectProvider<CounterStore> counters,
            ObjectProvider<HashRingRouter> routers, ObjectProvider<DefaultLeaderElection> elections) {
        Map<String, String> features = new LinkedHashMap<>();
        locks.ifUnique(provider -> features.put("lock", provider.backend()));
        counters.ifUnique(store -> features.put("counter", store.backend()));
        routers.ifUnique(router -> {
            if (router instanceof DefaultHashRingRouter ring) {
                features.put("ring", ring.backend());
            }
        });
        elections.ifUnique(election -> features.put("leader", election.backend()));
        this.byFeature = Map.copyOf(features);
    }

    /** The lock backend: the one the payment demo exercises. */
    String lock() {
        return byFeature.getOrDefault("lock", "none");
    }

    /** Feature ({@code lock}, {@code counter}, {@code ring}, {@code leader}) to backend name, in that order. */
    Map<String, String> byFeature() {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String feature : new String[] {"lock", "counter", "ring", "leader"}) {
            if (byFeature.containsKey(feature)) {
                ordered.put(feature, byFeature.get(feature));
            }
        }
        return ordered;
    }

    /** {@code zookeeper} when every feature agrees, else e.g. {@code locks on redis, counters on zookeeper, ...}. */
    String summary() {
        Map<String, String> features = byFeature();
        if (features.values().stream().distinct().count() == 1) {
            return features.values().iterator().next();
        }
        StringBuilder summary = new StringBuilder();
        features.forEach((feature, backend) -> summary.append(summary.length() == 0 ? "" : ", ")
                .append(feature).append("s on ").append(backend));
        return summary.toString();
    }
}
