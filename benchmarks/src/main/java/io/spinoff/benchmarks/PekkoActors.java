package io.spinoff.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The Pekko (typed) behaviours of the benchmarks, mirroring {@link SpinoffActors}. */
final class PekkoActors {
    private PekkoActors() {}

    /** The same pool as Spinoff's: 2 threads, 64 messages per turn. */
    static Config config() {
        return ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.log-dead-letters = off
                pekko.log-dead-letters-during-shutdown = off
                pekko.actor.default-dispatcher {
                  executor = "fork-join-executor"
                  fork-join-executor { parallelism-min = 2, parallelism-max = 2, parallelism-factor = 1.0 }
                  throughput = 64
                }
                """).withFallback(ConfigFactory.load());
    }

    static ActorSystem<SpawnProtocol.Command> system(String name) {
        return ActorSystem.create(SpawnProtocol.create(), name, config());
    }

    static <T> ActorRef<T> spawn(ActorSystem<SpawnProtocol.Command> system, Behavior<T> behavior, String name) {
        try {
            return AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system,
                            replyTo -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), replyTo),
                            Duration.ofSeconds(10), system.scheduler())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not spawn " + name, e);
        }
    }

    static void terminate(ActorSystem<?> system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Pekko did not terminate", e);
        }
    }

    record Ball(int remaining, ActorRef<Ball> partner) {}

    static Behavior<Ball> player(AtomicReference<CountDownLatch> done) {
        return Behaviors.setup(context -> Behaviors.receiveMessage(ball -> {
            if (ball.remaining() == 0) {
                done.get().countDown();
            } else {
                ball.partner().tell(new Ball(ball.remaining() - 1, context.getSelf()));
            }
            return Behaviors.same();
        }));
    }

    enum Hit { INSTANCE }

    static Behavior<Hit> counter(AtomicReference<CountDownLatch> done, int target) {
        return Behaviors.setup(context -> {
            int[] hits = {0};
            return Behaviors.receiveMessage(hit -> {
                if (++hits[0] == target) {
                    hits[0] = 0;
                    done.get().countDown();
                }
                return Behaviors.same();
            });
        });
    }

    record Echo(int value, ActorRef<Integer> replyTo) {}

    static Behavior<Echo> echoer() {
        return Behaviors.receiveMessage(echo -> {
            echo.replyTo().tell(echo.value());
            return Behaviors.same();
        });
    }

    enum Poke { INSTANCE }

    static Behavior<Poke> ephemeral(AtomicReference<CountDownLatch> done) {
        return Behaviors.receive(Poke.class)
                .onSignal(PostStop.class, signal -> {
                    done.get().countDown();
                    return Behaviors.same();
                })
                .build();
    }

    record SpawnAndStop(int count) {}

    static Behavior<SpawnAndStop> parent(AtomicReference<CountDownLatch> done) {
        return Behaviors.setup(context -> Behaviors.receiveMessage(request -> {
            for (int i = 0; i < request.count(); i++) {
                ActorRef<Poke> child = context.spawnAnonymous(ephemeral(done));
                context.stop(child);
            }
            return Behaviors.same();
        }));
    }

    static Behavior<Poke> sleeper() {
        return Behaviors.receiveMessage(poke -> Behaviors.same());
    }

    record SpawnIdle(int count, ActorRef<Integer> replyTo) {}

    static Behavior<SpawnIdle> idleSpawner() {
        return Behaviors.setup(context -> Behaviors.receiveMessage(request -> {
            for (int i = 0; i < request.count(); i++) {
                context.spawnAnonymous(sleeper());
            }
            request.replyTo().tell(request.count());
            return Behaviors.same();
        }));
    }
}
