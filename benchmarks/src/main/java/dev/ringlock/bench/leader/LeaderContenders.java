package dev.ringlock.bench.leader;

import java.util.List;

import org.springframework.integration.redis.util.RedisLockRegistry.RedisLockType;

/** The contenders of the leader rows by name: ZooKeeper ones first, then Redis ones. */
final class LeaderContenders {

    static final List<String> ALL = List.of("ringlock-zk", "curator-latch", "spring-initiator-zk", "ringlock",
            "spring-initiator", "spring-initiator-pubsub");

    private LeaderContenders() {
    }

    static LeaderContender create(String name) {
        return switch (name) {
            case "ringlock-zk" -> RinglockLeaderContender.zooKeeper();
            case "curator-latch" -> new CuratorLatchContender();
            case "spring-initiator-zk" -> SpringInitiatorContender.zooKeeper();
            case "ringlock" -> RinglockLeaderContender.redis();
            case "spring-initiator" -> SpringInitiatorContender.redis(RedisLockType.SPIN_LOCK);
            case "spring-initiator-pubsub" -> SpringInitiatorContender.redis(RedisLockType.PUB_SUB_LOCK);
            default -> throw new IllegalArgumentException("Unknown leader contender '" + name + "'; known: " + ALL);
        };
    }

    static boolean onZooKeeper(String name) {
        return name.endsWith("-zk") || name.startsWith("curator");
    }
}
