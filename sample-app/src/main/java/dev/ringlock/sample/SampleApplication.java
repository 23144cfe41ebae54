package dev.ringlock.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Ringlock's sample: pays orders from many threads under {@code @DistributedLock} and shows that no order
 * is paid twice. By default it starts its own ZooKeeper and Redis servers; run with
 * {@code -Dsample.embedded=false} to use the servers configured in {@code application.yml}.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        if (Boolean.parseBoolean(System.getProperty("sample.embedded", "true"))) {
            // system properties outrank application.yml, which names the servers of -Dsample.embedded=false
            EmbeddedServers.start().properties().forEach(System::setProperty);
        }
        // the demo runs once at start-up; then the sample ends and its embedded servers with it
        System.exit(SpringApplication.exit(SpringApplication.run(SampleApplication.class, args)));
    }
}
