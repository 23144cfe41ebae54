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
 * Keeps the generated configuration metadata and the configuration reference ({@code docs/configuration.md}) in
 * step: every property has a description, and the reference lists exactly the properties that exist.
 */
class ConfigurationReferenceTests {

    private static final Pattern REFERENCE_ROW = Pattern.compile("^\\| `(ringlock\\.[a-z0-9.-]+)` \\|", Pattern.MULTILINE);

    @Test
    void everyPropertyIsDescribedAndListedInTheConfigurationReference() throws IOException {
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
        Matcher rows = REFERENCE_ROW.matcher(configurationReference());
        while (rows.find()) {
            documented.add(rows.group(1));
        }
        assertThat(documented).isEqualTo(names);
    }

    /** The configuration reference page: its only table rows naming {@code ringlock.*} are properties. */
    private static String configurationReference() throws IOException {
        // tests run in the module's directory: the repository's root is its parent
        return Files.readString(Path.of("..", "docs", "configuration.md"));
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
