package dev.ringlock.sample;

import java.util.List;
import java.util.Map;

import dev.ringlock.ring.DefaultHashRingRouter;
import dev.ringlock.ring.HashRing;
import dev.ringlock.ring.HashRingRouter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The consistent-hash ring: {@code GET /route/{key}} answers which member owns a key, {@code GET /api/ring}
 * lists the members and their shares of the key space, and {@code GET /api/instance} says who this instance is.
 */
@RestController
class RingController {

    private final HashRingRouter router;
    private final SampleProperties properties;
    private final Backends backends;

    RingController(HashRingRouter router, SampleProperties properties, Backends backends) {
        this.router = router;
        this.properties = properties;
        this.backends = backends;
    }

    /**
     * @param owner the member that owns the key
     * @param self this instance's member id
     * @param local whether this instance owns the key
     * @param preference the owner and the next members in the key's preference order (replica placement)
     */
    record Route(String key, String owner, String self, boolean local, List<String> preference) {
    }

    record Member(String id, int weight, double share) {
    }

    record Ring(String self, List<Member> members) {
    }

    record Instance(String id, Map<String, String> backends, boolean embeddedServers) {
    }

    @GetMapping("/route/{key}")
    Route route(@PathVariable String key) {
        String owner = router.route(key);
        String self = selfId();
        return new Route(key, owner, self, owner.equals(self), router.route(key, 3));
    }

    @GetMapping("/api/ring")
    Ring ring() {
        HashRing ring = router.snapshot();
        List<Member> members = ring.nodes().stream().sorted()
                .map(id -> new Member(id, ring.weight(id), ring.share(id)))
                .toList();
        return new Ring(selfId(), members);
    }

    @GetMapping("/api/instance")
    Instance instance() {
        return new Instance(selfId(), backends.byFeature(), properties.isEmbedded());
    }

    /** The id this instance joined the ring with ({@code ringlock.ring.self-id}, which defaults to {@code sample.instance-id}). */
    private String selfId() {
        String joined = router instanceof DefaultHashRingRouter ring ? ring.selfId() : null;
        return joined != null ? joined : properties.getInstanceId();
    }
}
