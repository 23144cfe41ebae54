package dev.ringlock.redis;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class RedisRuntimeHintsTests {

    private final RuntimeHints hints = registered();

    @Test
    void everyResourceBesideThisModulesClassesIsCovered() throws IOException, URISyntaxException {
        List<String> resources = resourcesOfThisModule();

        // the listing found the scripts, so an empty listing cannot pass
        assertThat(resources).contains("dev/ringlock/redis/lock-acquire.lua", "dev/ringlock/redis/ring-heartbeat.lua",
                "dev/ringlock/redis/leader-acquire.lua");
        assertThat(resources).allSatisfy(resource -> assertThat(RuntimeHintsPredicates.resource().forResource(resource))
                .as(resource).accepts(hints));
    }

    @Test
    void theScriptsAreCoveredWhereLuaScriptsLooksThemUp() {
        // LuaScripts resolves a script's name against its own package
        assertThat(RuntimeHintsPredicates.resource().forResource(LuaScripts.class.getPackageName().replace('.', '/')
                + "/counter-compare-and-set.lua")).accepts(hints);
    }

    @Test
    void lettuceCanBeLookedUpByName() {
        assertThat(RuntimeHintsPredicates.reflection().onType(io.lettuce.core.RedisClient.class)).accepts(hints);
    }

    @Test
    void theRegistrarIsListedInAotFactories() {
        assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
                .load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(RedisRuntimeHints.class);
    }

    private static RuntimeHints registered() {
        RuntimeHints hints = new RuntimeHints();
        new RedisRuntimeHints().registerHints(hints, RedisRuntimeHintsTests.class.getClassLoader());
        return hints;
    }

    /** Every file under dev/ringlock in this module's output that is not a class, as a class-path name. */
    private static List<String> resourcesOfThisModule() throws IOException, URISyntaxException {
        Path classes = Path.of(LuaScripts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(classes.resolve("dev/ringlock"))) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().endsWith(".class"))
                    .map(file -> classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"))
                    .sorted()
                    .toList();
        }
    }
}
