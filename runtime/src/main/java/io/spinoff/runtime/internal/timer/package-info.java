/**
 * An actor's timers ({@link io.spinoff.runtime.Timers}): keyed single and periodic timers whose
 * firings reach the actor as mailbox envelopes and are dropped once cancelled or replaced. Not API.
 *
 * <p><b>Threads.</b> Timers are started and cancelled on the actor's turn; they fire on the
 * system's scheduler thread, which only sends the envelope.
 */
package io.spinoff.runtime.internal.timer;
