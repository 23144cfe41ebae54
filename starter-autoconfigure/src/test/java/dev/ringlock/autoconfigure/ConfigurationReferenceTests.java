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
            String name = (String) property.get("name");
            // the metadata also holds the actuator's own management.endpoint.ringlock.* properties
            if (name.startsWith("ringlock.")) {
                names.add(name);
                assertThat((String) property.get("description")).as("description of %s", name).isNotBlank();
            }
        }
        Set<String> documented = new TreeSet<>();
        Matcher rows = README_ROW.matcher(configurationReference());
        while (rows.find()) {
            documented.add(rows.group(1));
        }
        assertThat(documented).isEqualTo(names);
    }

    /** The README's "Configuration reference" section: other sections' tables name meters, not properties. */
    private static String configurationReference() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("\n## Configuration reference\n");
        assertThat(start).as("the README's configuration reference").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return end < 0 ? readme.substring(start) : readme.substring(start, end);
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
