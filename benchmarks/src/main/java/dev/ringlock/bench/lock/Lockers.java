package dev.ringlock.bench.lock;

import dev.ringlock.bench.Clients;
import dev.ringlock.redis.RedisReplicaAcknowledgement;

/** The contenders by the names the benchmarks' {@code impl} parameter uses. */
public final class Lockers {

    private Lockers() {
    }

    /** What {@code ringlock-ack} asks for: 1 replica must confirm each acquisition, within Redisson's 1 s default. */
    static final RedisReplicaAcknowledgement ONE_REPLICA = RedisReplicaAcknowledgement.of(1,
            RedisReplicaAcknowledgement.DEFAULT_TIMEOUT, false);

    public static Locker create(String impl) {
        return switch (impl) {
            case "ringlock" -> RinglockLocker.redis();
            case "raw-floor" -> new RawRedisLocker();
            case "redisson-rlock" -> new RedissonLocker(Clients.redisson(), false);
            case "redisson-fenced" -> new RedissonLocker(Clients.redisson(), true);
            case "spring-registry" -> new SpringRegistryLocker();
            case "ringlock-zk" -> RinglockLocker.zooKeeper();
            case "curator-mutex" -> new CuratorMutexLocker();
            // on the Sentinel set-up (master and 1 replica) of dev.ringlock.bench.ack
            case "ringlock-ack" -> RinglockLocker.redisSentinel(ONE_REPLICA);
            case "ringlock-no-ack" -> RinglockLocker.redisSentinel(RedisReplicaAcknowledgement.none());
            case "redisson-synced" -> new RedissonLocker(Clients.redissonSentinel(), false);
            default -> throw new IllegalArgumentException("Unknown lock contender '" + impl + "'");
        };
    }
}
