package dev.ringlock.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the generated configuration metadata and the README's configuration reference in step: every
 * property has a description, and the README lists exactly the properties that exist.
 */
class ConfigurationReferenceTests {

    private static final Pattern README_ROW = Pattern.compile("^\\| `(ringlock\\.[a-z0-9.-]+)` \\|", Pattern.MULTILINE);

    @Test
    void everyPropertyIsDescribedAndListedInTheReadme() throws IOException {
        List<Map<String, Object>> properties = metadataProperties();
        assertThat(properties).isNotEmpty();
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> property : properties) {
            names.add((String) property.get("name"));
            assertThat((String) property.get("description")).as("description of %s", property.get("name")).isNotBlank();
        }
        String readme = Files.readString(Path.of("..", "README.md"));
        Set<String> documented = new TreeSet<>();
        Matcher rows = README_ROW.matcher(readme);
        while (rows.find()) {
            documented.add(rows.group(1));
        }
        assertThat(documented).isEqualTo(names);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> metadataProperties() throws IOException {
        try (InputStream in = ConfigurationReferenceTests.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            return JsonPath.parse(in).read("$.properties", List.class);
        }
    }
}
