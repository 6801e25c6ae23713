package io.spinoff.runtime.internal.watch;

import io.spinoff.runtime.Terminated;

/**
 * A termination notice on its way through the watcher's mailbox, handled in order with its user
 * messages and not while it is suspended. Not API.
 */
public record DeathNoticeEnvelope(Object watched, Terminated terminated) {}
