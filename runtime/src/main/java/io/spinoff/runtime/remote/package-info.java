/**
 * Public types of remoting: CURVE key material and settings, and the exceptions a remote call can
 * fail with. A system becomes a node with {@link io.spinoff.runtime.ActorSystemBuilder#bind(String)};
 * {@link io.spinoff.runtime.ActorSystem#lookup(Class, String)} then reaches actors of other nodes.
 */
package io.spinoff.runtime.remote;
