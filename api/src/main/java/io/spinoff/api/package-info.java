/**
 * Spinoff's public annotations and the few types shared by user code, generated code and the
 * runtime: {@link io.spinoff.api.ActorProtocol}, {@link io.spinoff.api.AskTimeout},
 * {@link io.spinoff.api.ActorRef} and the exceptions a caller may see.
 */
package io.spinoff.api;
