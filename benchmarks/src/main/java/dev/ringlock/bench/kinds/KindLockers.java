package dev.ringlock.bench.kinds;

import dev.ringlock.bench.lock.RinglockLocker;

/** The contenders by the names the benchmarks' {@code impl} parameter uses. */
final class KindLockers {

    private KindLockers() {
    }

    static KindLocker create(String impl) {
        return switch (impl) {
            case "ringlock" -> new RinglockKinds(RinglockLocker.redis());
            case "ringlock-zk" -> new RinglockKinds(RinglockLocker.zooKeeper());
            case "redisson-rwlock", "redisson-semaphore", "redisson-multilock" -> new RedissonKinds();
            case "curator-rwlock", "curator-semaphore", "curator-multilock" -> new CuratorKinds();
            default -> throw new IllegalArgumentException("Unknown lock-kind contender '" + impl + "'");
        };
    }
}
