/**
 * Supervision: a supervisor's decisions about its failed children (the strategy's directive,
 * restart limits within a window, backoff, one-for-one, all-for-one and rest-for-one) and what it
 * remembers to make them. Not API.
 *
 * <p><b>Threads.</b> The supervisor's own turn only; decisions reach children as system messages.
 */
package io.spinoff.runtime.internal.supervision;
