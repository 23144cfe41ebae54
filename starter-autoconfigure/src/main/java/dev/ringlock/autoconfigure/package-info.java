/**
 * Spring Boot auto-configuration: properties, backend selection, the beans of each feature, and the
 * failure analyzers that turn a start-up misconfiguration into a message naming the property to fix. The
 * only package that knows every backend.
 */
@NullMarked
package dev.ringlock.autoconfigure;

import org.jspecify.annotations.NullMarked;
