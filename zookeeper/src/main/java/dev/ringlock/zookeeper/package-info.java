/**
 * ZooKeeper implementations, on Apache Curator. Locks and leader elections follow ZooKeeper's recipes
 * (ephemeral sequential nodes, each waiter or candidate watching its predecessor) and live with the
 * client's session.
 */
@NullMarked
package dev.ringlock.zookeeper;

import org.jspecify.annotations.NullMarked;
