package smoke.redis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.ringlock.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application on a real Redis server, configured by Spring Boot's own Redis properties alone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisSmokeApplicationTests {

    private static RedisTestServer redis;

    @LocalServerPort
    private int port;

    @Autowired
    private SmokeService service;

    @BeforeAll
    static void startRedis() {
        redis = RedisTestServer.create();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @DynamicPropertySource
    static void redisProperties(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
    }

    @Test
    void healthIsUpWithRedisAndWithoutZooKeeper() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(response.body(), "$.status")).isEqualTo("UP");
        Map<String, Object> components = JsonPath.read(response.body(), "$.components");
        assertThat(components).containsKey("redis").doesNotContainKey("zookeeper");
    }

    @Test
    void annotatedMethodRunsUnderItsLock() {
        long first = service.fencingTokenOf("42");
        long second = service.fencingTokenOf("42");

        assertThat(first).isPositive();
        assertThat(second).isGreaterThan(first);
    }
}
