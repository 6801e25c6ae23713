package io.spinoff.runtime;

/** A timer message for a process: processes take messages of any type. */
record ProcTick(String key) {}
