/**
 * ZooKeeper implementations, on Apache Curator. Locks follow ZooKeeper's lock recipe (ephemeral
 * sequential nodes, each waiter watching its predecessor) and live with the client's session.
 */
@NullMarked
package dev.ringlock.zookeeper;

import org.jspecify.annotations.NullMarked;
