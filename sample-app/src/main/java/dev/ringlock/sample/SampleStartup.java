package dev.ringlock.sample;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Once the application is up: one line that says which backend and servers are in use and where to look,
 * then (unless {@code sample.demo.run-at-startup=false}) one demo run, so a terminal user sees its result
 * in the log without opening the page.
 */
@Component
class SampleStartup {

    private static final Logger logger = LoggerFactory.getLogger(SampleStartup.class);

    private final Backends backends;
    private final SampleProperties properties;
    private final PaymentDemo demo;
    private final Environment environment;

    SampleStartup(Backends backends, SampleProperties properties, PaymentDemo demo, Environment environment) {
        this.backends = backends;
        this.properties = properties;
        this.demo = demo;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        logger.info("Ringlock sample '{}' on {} ({}) — open http://localhost:{}/", properties.getInstanceId(),
                backends.summary(), servers(), environment.getProperty("local.server.port", "8080"));
        if (properties.getDemo().isRunAtStartup()) {
            demo.start(List.of());
        }
    }

    private String servers() {
        String kind = properties.isEmbedded() ? "embedded " : "";
        return kind + "ZooKeeper at " + environment.getProperty("ringlock.zookeeper.connect-string", "(none)") + ", "
                + kind + "Redis at " + environment.getProperty("spring.data.redis.host", "localhost") + ":"
                + environment.getProperty("spring.data.redis.port", "6379");
    }
}
