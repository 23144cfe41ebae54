package dev.ringlock.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says which property to set when a Ringlock feature has no backend.
 */
class NoBackendFailureAnalyzer extends AbstractFailureAnalyzer<NoBackendException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoBackendException cause) {
        String action;
        if (cause.backend() != null && cause.moduleMissing()) {
            action = "Add the dependency dev.ringlock:ringlock-spring-boot-starter-" + cause.backend().id()
                    + " (or dev.ringlock:ringlock-" + cause.backend().id() + "), or choose another backend with 'ringlock."
                    + cause.feature() + ".backend' or 'ringlock.backend'.";
        }
        else if (cause.backend() == RinglockBackend.REDIS) {
            action = "Add spring-boot-starter-data-redis (ringlock-spring-boot-starter-redis brings it) and configure the connection with "
                    + "'spring.data.redis.host'/'spring.data.redis.port' or 'spring.data.redis.url', or choose another "
                    + "backend with 'ringlock." + cause.feature() + ".backend' or 'ringlock.backend'.";
        }
        else if (cause.backend() == RinglockBackend.ZOOKEEPER) {
            action = "Set 'ringlock.zookeeper.connect-string' (e.g. localhost:2181) or define a CuratorFramework bean "
                    + "(curator-recipes on the classpath), or choose another backend with 'ringlock." + cause.feature()
                    + ".backend' or 'ringlock.backend'.";
        }
        else {
            action = "Set 'ringlock.backend' to redis, zookeeper or local (or 'ringlock." + cause.feature()
                    + ".backend' for this feature alone). Without it Ringlock uses ZooKeeper when "
                    + "'ringlock.zookeeper.connect-string' is set, else Redis when a RedisConnectionFactory bean exists;"
                    + " 'local' (in-JVM, single instance) is only used when named.";
        }
        return new FailureAnalysis(cause.getMessage(), action, cause);
    }
}
