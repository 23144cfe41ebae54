package dev.ringlock.autoconfigure;

import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.leader.EventPublishingLeadershipListener;
import dev.ringlock.leader.LeaderElectionProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * User configuration for tests of what watches the leader election (endpoint, meters): a
 * {@link DefaultLeaderElection} as member {@value #MEMBER} on the context's {@link LeaderElectionProvider} bean,
 * publishing its grants and revokes as application events, as the auto-configured one does.
 */
@Configuration(proxyBeanMethods = false)
public class UserLeaderElection {

    public static final String MEMBER = "instance-1";

    @Bean
    DefaultLeaderElection leaderElection(LeaderElectionProvider provider, ApplicationEventPublisher events) {
        return new DefaultLeaderElection(MEMBER, provider, new EventPublishingLeadershipListener(events));
    }
}
