package dev.ringlock.sample;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the {@link EmbeddedServers} unless {@code sample.embedded=false}, and points the application at
 * them. Registered in {@code META-INF/spring.factories}, so {@code main} and {@code @SpringBootTest} start them
 * alike.
 * <p>
 * The servers start once the environment is ready (application.yml and profiles read, logging set up), so
 * their addresses can outrank application.yml before any bean connects. They stop when the context is
 * closed, as the first singleton registered and so the last destroyed: after the ring member left and the
 * clients closed, not under them.
 */
public final class EmbeddedServersListener implements SmartApplicationListener {

    static final String NAME = "sampleEmbeddedServers";

    private static final Logger logger = LoggerFactory.getLogger(EmbeddedServersListener.class);

    /** Started and not yet owned by a context. */
    private @Nullable EmbeddedServers started;

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
        return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType)
                || ApplicationPreparedEvent.class.isAssignableFrom(eventType)
                || ApplicationFailedEvent.class.isAssignableFrom(eventType);
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            startIfEmbedded(prepared.getEnvironment());
        }
        else if (event instanceof ApplicationPreparedEvent prepared) {
            handOver(prepared.getApplicationContext().getBeanFactory());
        }
        else if (event instanceof ApplicationFailedEvent) {
            stopUnowned();
        }
    }

    private void startIfEmbedded(ConfigurableEnvironment environment) {
        SampleProperties properties = Binder.get(environment).bind("sample", SampleProperties.class)
                .orElseGet(SampleProperties::new);
        if (!properties.isEmbedded()) {
            return;
        }
        EmbeddedServers servers = EmbeddedServers.start();
        started = servers;
        logger.info("Started {}", servers);
        environment.getPropertySources().addFirst(new MapPropertySource(NAME, servers.properties()));
    }

    private void handOver(ConfigurableListableBeanFactory beanFactory) {
        EmbeddedServers servers = started;
        if (servers == null) {
            return;
        }
        beanFactory.registerSingleton(NAME, servers);
        if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
            registry.registerDisposableBean(NAME, servers::close);
            started = null;
        }
    }

    private void stopUnowned() {
        EmbeddedServers servers = started;
        started = null;
        if (servers != null) {
            servers.close();
        }
    }
}
