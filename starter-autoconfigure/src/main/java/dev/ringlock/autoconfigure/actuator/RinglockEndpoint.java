package dev.ringlock.autoconfigure.actuator;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ringlock.autoconfigure.RingMembershipKind;
import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.leader.Leadership;
import dev.ringlock.lock.HeldLocks;
import dev.ringlock.lock.LockHandle;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ringlock.counter.CounterStore;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.ring.DefaultHashRingRouter;
import dev.ringlock.ring.HashRing;
import dev.ringlock.ring.HashRingRouter;
import dev.ringlock.ring.Membership;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code ringlock} actuator endpoint ({@code /actuator/ringlock}): the backend of each feature, the locks
 * this instance holds now, the ring with its members' shares of the key space and its last changes, and the
 * leader elections this instance is in with its role, its term and the leader it last saw in each.
 * Reading it costs no network call: everything comes from this instance's memory.
 */
@Endpoint(id = "ringlock")
public class RinglockEndpoint {

    private final ObjectProvider<LockProvider> lockProviders;
    private final ObjectProvider<CounterStore> counterStores;
    private final ObjectProvider<HashRingRouter> routers;
    private final ObjectProvider<Membership> memberships;
    private final ObjectProvider<DefaultLeaderElection> elections;
    private final HeldLocks heldLocks;
    private final RingChangeHistory ringChanges;

    RinglockEndpoint(ObjectProvider<LockProvider> lockProviders, ObjectProvider<CounterStore> counterStores,
            ObjectProvider<HashRingRouter> routers, ObjectProvider<Membership> memberships,
            ObjectProvider<DefaultLeaderElection> elections, HeldLocks heldLocks, RingChangeHistory ringChanges) {
        this.lockProviders = lockProviders;
        this.counterStores = counterStores;
        this.routers = routers;
        this.memberships = memberships;
        this.elections = elections;
        this.heldLocks = heldLocks;
        this.ringChanges = ringChanges;
    }

    @ReadOperation
    public RinglockDescriptor ringlock() {
        HashRingRouter router = routers.getIfUnique();
        DefaultLeaderElection election = elections.getIfUnique();
        return new RinglockDescriptor(backends(router), locks(), router == null ? null : ring(router),
                election == null ? null : leader(election));
    }

    private Map<String, String> backends(@Nullable HashRingRouter router) {
        Map<String, String> backends = new LinkedHashMap<>();
        LockProvider lockProvider = lockProviders.getIfUnique();
        if (lockProvider != null) {
            backends.put("lock", lockProvider.backend());
        }
        CounterStore counterStore = counterStores.getIfUnique();
        if (counterStore != null) {
            backends.put("counter", counterStore.backend());
        }
        String membership = router == null ? null : RingMembershipKind.of(router, memberships);
        if (membership != null) {
            backends.put("ring", membership);
        }
        return backends;
    }

    private List<HeldLock> locks() {
        return heldLocks.snapshot().stream()
                .map(lock -> new HeldLock(lock.key(), lock.fencingToken(), lock.since().toString(), lock.isValid(),
                        lock.kind(), lock.permits() > 1 ? lock.permits() : null))
                .toList();
    }

    private RingDescriptor ring(HashRingRouter router) {
        HashRing ring = router.snapshot();
        List<Member> members = ring.nodes().stream().sorted()
                .map(id -> new Member(id, ring.weight(id), ring.share(id)))
                .toList();
        List<Change> changes = ringChanges.newestFirst().stream()
                .map(entry -> new Change(entry.at().toString(), entry.change().added().stream().sorted().toList(),
                        entry.change().removed().stream().sorted().toList(), entry.change().movedFraction(),
                        entry.change().current().size()))
                .toList();
        String self = router instanceof DefaultHashRingRouter defaults ? defaults.selfId() : null;
        return new RingDescriptor(self, members, changes);
    }

    private static LeaderDescriptor leader(DefaultLeaderElection election) {
        List<Group> groups = election.joined().stream()
                .sorted(Comparator.comparing(Leadership::group))
                .map(candidacy -> new Group(candidacy.group(), candidacy.isLeader() ? "leader" : "follower",
                        candidacy.term(), candidacy.leader().orElse(null)))
                .toList();
        return new LeaderDescriptor(election.memberId(), election.backend(), groups);
    }

    /**
     * What the endpoint answers.
     * @param backends the backend of each configured feature ({@code redis}, {@code zookeeper}, {@code local};
     *     for {@code ring} the membership kind: {@code static}, {@code zookeeper}, {@code redis})
     * @param locks the locks this instance holds now, oldest first
     * @param ring the live ring; absent without a {@link HashRingRouter}
     * @param leader the leader elections; absent without a {@link DefaultLeaderElection}
     */
    public record RinglockDescriptor(Map<String, String> backends, List<HeldLock> locks, @Nullable RingDescriptor ring,
            @Nullable LeaderDescriptor leader) {
    }

    /**
     * A lock this instance holds; a lock on several keys is listed once per key.
     * @param since when it was acquired, ISO-8601 in UTC
     * @param valid {@link dev.ringlock.lock.LockHandle#isValid()} now
     * @param kind {@code write} (the exclusive lock), {@code read} or {@code permit}
     * @param permits how many holders the key admits at once, for a permit lock; left out otherwise
     */
    public record HeldLock(String key, long fencingToken, String since, boolean valid, String kind,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer permits) {
    }

    /**
     * The ring.
     * @param self the member id of this instance ({@code ringlock.ring.self-id}); null when it only routes
     * @param members every member, by id
     * @param changes the last {@value RingChangeHistory#CAPACITY} changes, newest first
     */
    public record RingDescriptor(@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String self, List<Member> members,
            List<Change> changes) {
    }

    /**
     * A ring member.
     * @param share its fraction of the key space, between 0 and 1
     */
    public record Member(String id, int weight, double share) {
    }

    /**
     * A change of the ring.
     * @param at when this instance saw it, ISO-8601 in UTC
     * @param movedFraction the fraction of the key space that changed owner
     * @param members the number of members after the change
     */
    public record Change(String at, List<String> added, List<String> removed, double movedFraction, int members) {
    }

    /**
     * This instance in the leader elections.
     * @param memberId its member id in every election ({@code ringlock.leader.member-id})
     * @param backend the backend the elections run on
     * @param groups every group it is a candidate in, by name
     */
    public record LeaderDescriptor(String memberId, String backend, List<Group> groups) {
    }

    /**
     * One group this instance is a candidate in.
     * @param role {@code leader} while {@link Leadership#isLeader()} is true now, else {@code follower}
     * @param term this member's current term, or its latest after it ended; 0 before its first
     * @param leader the member leading the group as this instance last saw it; null when it saw none
     */
    public record Group(String group, String role, long term,
            @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String leader) {
    }
}
