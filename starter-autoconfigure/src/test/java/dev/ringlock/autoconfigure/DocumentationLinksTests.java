package dev.ringlock.autoconfigure;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of the Markdown documentation resolves: the linked file exists relative to the linking
 * file, and a {@code #anchor} names a heading of its target, slugged as GitHub does. The README stays a landing
 * page, under 15 KB.
 */
class DocumentationLinksTests {

    /** {@code [text](target)} or {@code ![alt](target)}, with an optional title after the target. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

    private static final long README_LIMIT = 15 * 1024;

    /** Tests run in the module's directory: the repository's root is its parent. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyRelativeLinkOfTheDocumentationResolves() throws IOException {
        List<Path> files = documentationFiles(ROOT);
        assertThat(files).contains(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md"),
                ROOT.resolve("sample-app/README.md"), ROOT.resolve("docs/README.md"),
                ROOT.resolve("docs/configuration.md"), ROOT.resolve("docs/hash-ring.md"));
        assertThat(brokenLinks(files)).isEmpty();
    }

    @Test
    void readmeIsALandingPageUnder15Kilobytes() throws IOException {
        assertThat(Files.size(ROOT.resolve("README.md"))).as("size of README.md in bytes").isLessThan(README_LIMIT);
    }

    @Test
    void missingFilesAndAnchorsAreReported(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Path readme = Files.writeString(dir.resolve("README.md"), """
                # Title

                [guide](docs/guide.md) [missing](docs/missing.md) [section](docs/guide.md#the-fencing-token-pattern)
                [wrong section](docs/guide.md#no-such-heading) [self](#title) [web](https://example.com/x.md)
                """);
        Files.writeString(dir.resolve("docs/guide.md"), """
                # Guide

                ## The fencing-token pattern

                [back](../README.md#title) [code heading](#not-a-heading)

                ```sh
                # not-a-heading
                [inside a code block](nowhere.md)
                ```
                """);
        assertThat(brokenLinks(documentationFiles(dir))).containsExactly(
                readme + ": (docs/missing.md): no such file",
                readme + ": (docs/guide.md#no-such-heading): no heading 'no-such-heading'",
                dir.resolve("docs/guide.md") + ": (#not-a-heading): no heading 'not-a-heading'");
    }

    @Test
    void headingsAreSluggedAsGitHubDoes() {
        assertThat(slug("Backends: Redis or ZooKeeper?")).isEqualTo("backends-redis-or-zookeeper");
        assertThat(slug("The `ringlock` endpoint")).isEqualTo("the-ringlock-endpoint");
        assertThat(slug("Ring lookups (`nodeFor`, one thread)")).isEqualTo("ring-lookups-nodefor-one-thread");
        assertThat(slug("Spring Integration `RedisLockRegistry` / `LockRegistry`"))
                .isEqualTo("spring-integration-redislockregistry--lockregistry");
        assertThat(slug("The fencing-token pattern")).isEqualTo("the-fencing-token-pattern");
    }

    /** README.md, CONTRIBUTING.md, sample-app/README.md, benchmarks/*.md and docs/*.md, where they exist. */
    private static List<Path> documentationFiles(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String name : List.of("README.md", "CONTRIBUTING.md", "sample-app/README.md")) {
            Path file = root.resolve(name);
            if (Files.isRegularFile(file)) {
                files.add(file);
            }
        }
        for (String dir : List.of("benchmarks", "docs")) {
            Path folder = root.resolve(dir);
            if (Files.isDirectory(folder)) {
                try (DirectoryStream<Path> pages = Files.newDirectoryStream(folder, "*.md")) {
                    pages.forEach(files::add);
                }
            }
        }
        return files;
    }

    /** One line per broken link: the linking file, the target, and what is wrong. */
    private static List<String> brokenLinks(List<Path> files) throws IOException {
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            for (String line : prose(file)) {
                Matcher link = LINK.matcher(blankCodeSpans(line));
                while (link.find()) {
                    String target = link.group(1);
                    if (target.startsWith("http:") || target.startsWith("https:") || target.startsWith("mailto:")) {
                        continue;
                    }
                    int hash = target.indexOf('#');
                    String path = hash < 0 ? target : target.substring(0, hash);
                    Path linked = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                    if (!Files.exists(linked)) {
                        broken.add(file + ": (" + target + "): no such file");
                    }
                    else if (hash >= 0) {
                        String anchor = target.substring(hash + 1);
                        Set<String> headings = anchors.computeIfAbsent(linked, DocumentationLinksTests::headingSlugs);
                        if (!headings.contains(anchor)) {
                            broken.add(file + ": (" + target + "): no heading '" + anchor + "'");
                        }
                    }
                }
            }
        }
        return broken;
    }

    /** The lines of a Markdown file outside fenced code blocks. */
    private static List<String> prose(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        String fence = null;
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (fence == null && (trimmed.startsWith("```") || trimmed.startsWith("~~~"))) {
                fence = trimmed.substring(0, 3);
            }
            else if (fence != null && trimmed.startsWith(fence)) {
                fence = null;
            }
            else if (fence == null) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Brackets and parentheses inside code spans are text, never a link. */
    private static String blankCodeSpans(String line) {
        Matcher span = CODE_SPAN.matcher(line);
        StringBuilder out = new StringBuilder();
        while (span.find()) {
            String code = span.group().replaceAll("[\\[\\]()]", " ");
            span.appendReplacement(out, Matcher.quoteReplacement(code));
        }
        span.appendTail(out);
        return out.toString();
    }

    private static Set<String> headingSlugs(Path file) {
        if (!file.getFileName().toString().endsWith(".md")) {
            return Set.of();
        }
        try {
            Set<String> slugs = new LinkedHashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            for (String line : prose(file)) {
                Matcher heading = HEADING.matcher(line);
                if (heading.matches()) {
                    String slug = slug(heading.group(1));
                    int count = seen.merge(slug, 1, Integer::sum);
                    // GitHub numbers repeated headings: slug, slug-1, slug-2, …
                    slugs.add(count == 1 ? slug : slug + "-" + (count - 1));
                }
            }
            return slugs;
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot read " + file, ex);
        }
    }

    /**
     * GitHub's anchor of a heading: the text of its links, lower case, every character dropped but letters,
     * digits, hyphens, underscores and spaces, and each space a hyphen.
     */
    private static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == ' ') {
                slug.append('-');
            }
            else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            }
        });
        return slug.toString();
    }
}
