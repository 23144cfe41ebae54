package dev.ringlock.sample;

import org.springframework.test.context.ActiveProfiles;

/**
 * The sample with the {@code redis} profile: every feature on the embedded Redis.
 */
@ActiveProfiles("redis")
class RedisSampleAppIntegrationTests extends AbstractSampleAppIntegrationTests {

    @Override
    String backend() {
        return "redis";
    }
}
