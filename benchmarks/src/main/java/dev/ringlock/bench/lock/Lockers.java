package dev.ringlock.bench.lock;

/** The contenders by the names the benchmarks' {@code impl} parameter uses. */
final class Lockers {

    private Lockers() {
    }

    static Locker create(String impl) {
        return switch (impl) {
            case "ringlock" -> RinglockLocker.redis();
            case "raw-floor" -> new RawRedisLocker();
            case "redisson-rlock" -> new RedissonLocker(false);
            case "redisson-fenced" -> new RedissonLocker(true);
            case "spring-registry" -> new SpringRegistryLocker();
            case "ringlock-zk" -> RinglockLocker.zooKeeper();
            case "curator-mutex" -> new CuratorMutexLocker();
            default -> throw new IllegalArgumentException("Unknown lock contender '" + impl + "'");
        };
    }
}
