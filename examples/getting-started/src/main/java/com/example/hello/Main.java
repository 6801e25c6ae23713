package com.example.hello;

import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.TimeUnit;

/** Starts an actor system, talks to a counter through its proxy, and closes the system. */
public final class Main {

    public static void main(String[] args) throws Exception {
        try (ActorSystem system = ActorSystem.create("hello")) {
            Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
            counter.increment(5);
            counter.increment(37);
            int count = counter.get().toCompletableFuture().get(5, TimeUnit.SECONDS);
            System.out.println("The counter says " + count);
        }
    }
}
