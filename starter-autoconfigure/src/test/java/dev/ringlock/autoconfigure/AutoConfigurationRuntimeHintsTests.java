package dev.ringlock.autoconfigure;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

class AutoConfigurationRuntimeHintsTests {

    private static final String AOT_FACTORIES = "META-INF/spring/aot.factories";

    @Test
    void theClientTypesCanBeLookedUpByName() {
        RuntimeHints hints = new RuntimeHints();

        new AutoConfigurationRuntimeHints().registerHints(hints, getClass().getClassLoader());

        assertThat(RuntimeHintsPredicates.reflection().onType(CuratorFramework.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(RedisConnectionFactory.class)).accepts(hints);
    }

    @Test
    void theRegistrarIsListedInAotFactories() {
        assertThat(SpringFactoriesLoader.forResourceLocation(AOT_FACTORIES).load(RuntimeHintsRegistrar.class))
                .hasAtLeastOneElementOfType(AutoConfigurationRuntimeHints.class);
    }

    @Test
    void everyEntryOfOurSpringFactoriesCanBeInstantiatedThroughSpringsOwnHints() throws Exception {
        // what Spring's AOT processing registers: every registrar in every aot.factories on the class path
        RuntimeHints hints = new RuntimeHints();
        SpringFactoriesLoader.forResourceLocation(AOT_FACTORIES).load(RuntimeHintsRegistrar.class)
                .forEach(registrar -> registrar.registerHints(hints, getClass().getClassLoader()));

        List<Class<?>> factories = ourSpringFactories();

        assertThat(factories).contains(NoBackendFailureAnalyzer.class, ZooKeeperAuthFailureAnalyzer.class);
        assertThat(factories).allSatisfy(factory -> assertThat(RuntimeHintsPredicates.reflection().onType(factory)
                .withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).as(factory.getName()).accepts(hints));
    }

    /** The implementations listed in this module's own META-INF/spring.factories. */
    private static List<Class<?>> ourSpringFactories() throws IOException {
        UrlResource classes = new UrlResource(RinglockAutoConfiguration.class.getProtectionDomain().getCodeSource()
                .getLocation());
        return PropertiesLoaderUtils.loadProperties(classes.createRelative("META-INF/spring.factories"))
                .values().stream()
                .flatMap(names -> Arrays.stream(StringUtils.commaDelimitedListToStringArray((String) names)))
                .<Class<?>>map(name -> ClassUtils.resolveClassName(name.trim(), null))
                .toList();
    }
}
