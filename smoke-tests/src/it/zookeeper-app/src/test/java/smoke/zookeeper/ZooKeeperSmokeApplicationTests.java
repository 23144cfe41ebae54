package smoke.zookeeper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.ringlock.testsupport.ZooKeeperTestServer;
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
 * The application on a real ZooKeeper server, configured by its connect string alone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ZooKeeperSmokeApplicationTests {

    private static ZooKeeperTestServer zookeeper;

    @LocalServerPort
    private int port;

    @Autowired
    private SmokeService service;

    @BeforeAll
    static void startZooKeeper() {
        zookeeper = ZooKeeperTestServer.create();
    }

    @AfterAll
    static void stopZooKeeper() {
        zookeeper.close();
    }

    @DynamicPropertySource
    static void zookeeperProperties(DynamicPropertyRegistry registry) {
        registry.add("ringlock.zookeeper.connect-string", zookeeper::connectString);
    }

    @Test
    void healthIsUpWithZooKeeperAndWithoutRedis() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(response.body(), "$.status")).isEqualTo("UP");
        Map<String, Object> components = JsonPath.read(response.body(), "$.components");
        assertThat(components).containsKey("zookeeper").doesNotContainKey("redis");
    }

    @Test
    void annotatedMethodRunsUnderItsLock() {
        long first = service.fencingTokenOf("42");
        long second = service.fencingTokenOf("42");

        assertThat(first).isPositive();
        assertThat(second).isGreaterThan(first);
    }
}
