package io.spinoff.runtime;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** The messages the process tests send: two interleaved kinds, a release, and an ask. */
@ActorProtocol
public interface ProcMail {
    /** A message of the first kind, numbered. */
    void a(int seq);

    /** A message of the second kind, numbered. */
    void b(int seq);

    /** Lets a waiting process go on. */
    void release();

    /** An ask the process answers (or not) with {@code reply}. */
    CompletionStage<String> echo(String text);
}
