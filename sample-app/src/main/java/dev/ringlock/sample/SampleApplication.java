package dev.ringlock.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Ringlock's sample: a small shop whose orders are paid under {@code @DistributedLock} with fencing tokens,
 * numbered from a shared {@code Sequence}, whose page views are a shared counter, and whose instances form a
 * consistent-hash ring; its report job runs only on the leader of group {@code reports} and its digest job once
 * per ten seconds across instances. By default it starts its own ZooKeeper and Redis servers
 * ({@link EmbeddedServersListener}); {@code -Dsample.embedded=false} uses the servers in
 * {@code application.yml}. Open {@code http://localhost:8080/}.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
@EnableScheduling
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
