package io.spinoff.runtime.internal.remote;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.ActorSystemBuilder;
import io.spinoff.runtime.ActorSystemAccess;
import io.spinoff.runtime.remote.RemoteTestSupport;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Helpers of the transport's own tests: nodes on loopback and a view of their transport. */
final class TransportTestSupport {

    private TransportTestSupport() {}

    /** @return a node bound to a free loopback port, with a quick failure detector */
    static ActorSystem node(String name) {
        return RemoteTestSupport.node(name);
    }

    static ActorSystemBuilder builder(String name) {
        return ActorSystem.builder(name).bind("tcp://127.0.0.1:0")
                .heartbeatInterval(Duration.ofMillis(200)).downAfter(Duration.ofSeconds(3));
    }

    static RemoteTransport transport(ActorSystem system) {
        return ActorSystemAccess.runtime(system).transport();
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return RemoteTestSupport.await(stage);
    }

    /** @return the cause the stage failed with, within the time */
    static Throwable failure(CompletionStage<?> stage, long millis) throws InterruptedException, TimeoutException {
        return RemoteTestSupport.failure(stage, millis);
    }

    /** Waits until the condition holds, at most the time; @return whether it held */
    static boolean eventually(long millis, BooleanSupplier condition) throws InterruptedException {
        return RemoteTestSupport.eventually(millis, condition);
    }
}
