/**
 * Death watch: what an actor watches ({@link io.spinoff.runtime.internal.watch.Watching}), what
 * is notified when a watched actor terminates (a local cell, or a remote actor's stub), and the
 * envelope that carries the notice into the watcher's mailbox. Not API.
 *
 * <p><b>Threads.</b> Notices are sent from whichever thread completes the termination and
 * handled on the watcher's turn.
 */
package io.spinoff.runtime.internal.watch;
