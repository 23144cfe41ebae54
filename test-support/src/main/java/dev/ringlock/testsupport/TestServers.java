package dev.ringlock.testsupport;

/**
 * Which kind of test servers this JVM uses.
 */
final class TestServers {

    /** System property: {@code process} (default) or {@code containers} (Maven profile {@code -Pcontainers}). */
    static final String PROPERTY = "ringlock.test.servers";

    private TestServers() {
    }

    static boolean useContainers() {
        return "containers".equalsIgnoreCase(System.getProperty(PROPERTY, "process"));
    }
}
