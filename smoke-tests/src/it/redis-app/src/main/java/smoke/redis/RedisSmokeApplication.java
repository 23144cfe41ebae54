package smoke.redis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web application that uses Ringlock on Redis and nothing else.
 */
@SpringBootApplication
public class RedisSmokeApplication {

    public static void main(String[] args) {
        SpringApplication.run(RedisSmokeApplication.class, args);
    }
}
