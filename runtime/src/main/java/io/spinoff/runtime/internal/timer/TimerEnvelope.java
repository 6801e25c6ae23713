package io.spinoff.runtime.internal.timer;

/**
 * A timer's message on its way through the mailbox; delivered only if its timer is still the
 * current one for its key. Not API.
 */
public record TimerEnvelope(Object key, long generation, Object message) {}
