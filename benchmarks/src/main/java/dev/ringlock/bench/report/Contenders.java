package dev.ringlock.bench.report;

import java.util.Map;

/** What each contender's short label in the tables stands for: the class (or commands) it measures. */
final class Contenders {

    private static final Map<String, String> CLASSES = Map.ofEntries(
            Map.entry("ringlock", "Ringlock"),
            Map.entry("ringlock-zk", "Ringlock"),
            Map.entry("ringlock-rendezvous", "Ringlock, route `rendezvous` (v1)"),
            Map.entry("raw-floor", "`SET NX PX` + compare-and-delete script"),
            Map.entry("redisson-rlock", "Redisson `RLock`"),
            Map.entry("redisson-fenced", "Redisson `RFencedLock`"),
            Map.entry("spring-registry", "Spring Integration `RedisLockRegistry`"),
            Map.entry("ringlock-ack", "Ringlock, 1 replica confirms each acquisition"),
            Map.entry("ringlock-no-ack", "Ringlock, no acknowledgement"),
            Map.entry("redisson-synced", "Redisson `RLock`, `checkLockSyncedSlaves`"),
            Map.entry("curator-mutex", "Curator `InterProcessMutex`"),
            Map.entry("redisson-rwlock", "Redisson `RReadWriteLock`"),
            Map.entry("curator-rwlock", "Curator `InterProcessReadWriteLock`"),
            Map.entry("redisson-semaphore", "Redisson `RPermitExpirableSemaphore`"),
            Map.entry("curator-semaphore", "Curator `InterProcessSemaphoreV2`"),
            Map.entry("redisson-multilock", "Redisson `RedissonMultiLock`"),
            Map.entry("curator-multilock", "Curator `InterProcessMultiLock`"),
            Map.entry("raw-incr", "`INCR`"),
            Map.entry("redisson-atomiclong", "Redisson `RAtomicLong`"),
            Map.entry("curator-dal", "Curator `DistributedAtomicLong`"),
            Map.entry("curator-sharedcount", "Curator `SharedCount`"),
            Map.entry("curator-latch", "Curator `LeaderLatch`"),
            Map.entry("spring-initiator-zk", "Spring Integration `LockRegistryLeaderInitiator`, `ZookeeperLockRegistry`"),
            Map.entry("spring-initiator", "Spring Integration `LockRegistryLeaderInitiator`, `RedisLockRegistry` spin lock"),
            Map.entry("spring-initiator-pubsub",
                    "Spring Integration `LockRegistryLeaderInitiator`, `RedisLockRegistry` pub/sub lock"),
            Map.entry("guava", "Guava `Hashing.consistentHash`"),
            Map.entry("ketama", "`KetamaRing`: 160 points per node, MD5"));

    private Contenders() {
    }

    /** {@code label (what it is)}, or the bare label for one not listed. */
    static String describe(String label) {
        String what = CLASSES.get(label);
        return what == null || what.equals("Ringlock") ? label : label + " (" + what + ")";
    }
}
