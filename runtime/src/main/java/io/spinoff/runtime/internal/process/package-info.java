/**
 * Erlang-style processes: the inbox with selective receive and its receive marker, the virtual
 * thread that runs {@link io.spinoff.runtime.Process#run()}, the asks a process has received and
 * not answered, and the calls a process makes on its cell's turn. Not API.
 *
 * <p><b>Threads.</b> The cell's turn delivers into the inbox and launches the thread; the process's
 * own virtual thread receives and replies; each class states which of its methods each may call.
 */
package io.spinoff.runtime.internal.process;
