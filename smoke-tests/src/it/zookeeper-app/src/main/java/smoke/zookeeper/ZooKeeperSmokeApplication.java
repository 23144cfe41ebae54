package smoke.zookeeper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web application that uses Ringlock on ZooKeeper and nothing else.
 */
@SpringBootApplication
public class ZooKeeperSmokeApplication {

    public static void main(String[] args) {
        SpringApplication.run(ZooKeeperSmokeApplication.class, args);
    }
}
