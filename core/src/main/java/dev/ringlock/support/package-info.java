/**
 * Small pieces the feature packages share; knows no feature and no backend.
 */
@NullMarked
package dev.ringlock.support;

import org.jspecify.annotations.NullMarked;
