package io.spinoff.runtime;

import io.spinoff.api.ActorProtocol;

/** Two players bounce a ball between them. */
@ActorProtocol
public interface CorePing {

    /**
     * @param remaining bounces left
     * @param partner who gets the ball next
     */
    void ball(int remaining, CorePing partner);
}
