package io.spinoff.runtime.internal;

/**
 * A timer's message on its way through the mailbox; delivered only if its timer is still the
 * current one for its key. Not API.
 */
record TimerEnvelope(Object key, long generation, Object message) {}
