/**
 * Running cells: the dispatcher and its carrier threads (a fork-join pool, with the same-carrier
 * hand-off slot and the fairness bound), the lock-free queue every mailbox is made of, and the
 * ask envelopes with their timeouts. Not API.
 *
 * <p><b>Threads.</b> Carriers run turns; any thread submits cells and registers asks; the
 * system's scheduler thread runs the ask-timeout tick and the rescue of held cells. Each class
 * states its own contract at its top.
 */
package io.spinoff.runtime.internal.dispatch;
