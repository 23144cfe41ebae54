/**
 * Redis implementations, through Spring Data Redis (Lettuce) and Lua scripts that sit beside this
 * package in the resources. Every key of one lock shares a hash tag, so each script touches one slot of a
 * Redis Cluster.
 */
@NullMarked
package dev.ringlock.redis;

import org.jspecify.annotations.NullMarked;
