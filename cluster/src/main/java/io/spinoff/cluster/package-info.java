/**
 * Membership, registry and entities of a Spinoff cluster; see {@link io.spinoff.cluster.Cluster}.
 */
package io.spinoff.cluster;
