/**
 * The actor cell: its mailbox and scheduled flag ({@link io.spinoff.runtime.internal.cell.Mailbox}),
 * its turn and lifecycle state machine, its children, and the {@link io.spinoff.runtime.ActorContext}
 * it implements ({@link io.spinoff.runtime.internal.cell.ActorCell}). Not API.
 *
 * <p><b>Threads.</b> Any thread may send to a cell (tell, ask, system messages) and read what is
 * marked "any thread"; everything else runs on the cell's consumer, the one thread at a time that
 * holds its scheduled flag. Each class states its own contract at its top.
 */
package io.spinoff.runtime.internal.cell;
