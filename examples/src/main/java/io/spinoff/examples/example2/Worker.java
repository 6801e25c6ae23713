package io.spinoff.examples.example2;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** Does numbered jobs. */
@ActorProtocol
public interface Worker {

    /**
     * @param job the job number
     * @return its result: the square of the number, and how many jobs this instance has done
     */
    CompletionStage<String> work(int job);
}
