/**
 * Remoting over ZeroMQ (JeroMQ). Not API: use {@link io.spinoff.runtime.ActorSystem.Builder#bind}
 * and {@link io.spinoff.runtime.ActorSystem#lookup}.
 *
 * <p>{@link io.spinoff.runtime.internal.remote.RemoteTransport} is the entry point and describes the
 * design: one I/O thread per node owning every socket, a lock-free queue of encoded frames into it,
 * batching per peer, heartbeats and the failure detector, remote death watch and the handling of
 * hostile input. {@link io.spinoff.runtime.internal.remote.FrameKind} describes the wire layout;
 * {@link io.spinoff.runtime.internal.remote.RemoteActorRef} is the reference of a remote actor.
 */
package io.spinoff.runtime.internal.remote;
