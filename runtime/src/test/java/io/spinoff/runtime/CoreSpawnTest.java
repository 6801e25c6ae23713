package io.spinoff.runtime;

import static io.spinoff.runtime.CoreTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.support.ProtocolProxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What an actor may be (SPEC §3): several protocols on one mailbox, plain classes; and bad factories. */
class CoreSpawnTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void proxiesOfBothProtocolsOfAnActorReachTheSameState() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreTwoProtocols")) {
                CompletableFuture<CoreDualActor.Views> views = new CompletableFuture<>();
                CoreAdder adder = system.spawn(CoreAdder.class, () -> new CoreDualActor(views), "dual");
                CoreDualActor.Views seen = views.get(5, TimeUnit.SECONDS);

                adder.add(2);
                seen.adder().add(3);
                CoreReader lookedUp = system.lookup(CoreReader.class, "/user/dual");
                assertEquals(5, await(seen.reader().read()), "context().self(CoreReader.class)");
                assertEquals(5, await(lookedUp.read()), "system.lookup(CoreReader.class, path)");
                assertEquals(5, await(adder.sum()));

                assertEquals("/user/dual", seen.address());
                assertEquals(adder, seen.adder());
                assertEquals(adder, seen.reader(), "proxies of one actor are equal whatever their protocol");
                assertEquals(lookedUp, seen.reader());
                assertEquals(ProtocolProxy.actorRefOf(adder), ProtocolProxy.actorRefOf(lookedUp));
                assertInstanceOf(IllegalArgumentException.class, seen.foreignSelfFailure(),
                        "context().self of a protocol the actor does not implement");
            }
        });
    }

    @Test
    void aPlainClassImplementingAProtocolIsAnActor() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("corePlainClass")) {
                CoreAdder plain = system.spawn(CoreAdder.class, CorePlainAdder::new, "plain");
                for (int i = 1; i <= 100; i++) {
                    plain.add(i);
                }
                assertEquals(5050, await(plain.sum()));
                assertEquals(5050, await(system.lookup(CoreAdder.class, "/user/plain").sum()));
                await(system.stop(plain));
                assertEquals(0, system.metrics().liveActors());
            }
        });
    }

    @Test
    void aFactoryMakingAnObjectThatDoesNotImplementTheProtocolIsRefusedAtOnce() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreFactoryWrongType")) {
                Supplier<?> notACounter = () -> "not a counter";
                @SuppressWarnings("unchecked")
                Supplier<Counter> factory = (Supplier<Counter>) notACounter;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> system.spawn(Counter.class, factory, "counter"));
                assertTrue(e.getMessage().contains(Counter.class.getName()), e.getMessage());

                // An instance of another protocol does not do either.
                @SuppressWarnings({"unchecked", "rawtypes"})
                Supplier<Counter> other = (Supplier) (Supplier<CoreAdder>) CorePlainAdder::new;
                assertThrows(IllegalArgumentException.class, () -> system.spawn(Counter.class, other, "counter"));
                assertNothingLeftBehind(system);
            }
        });
    }

    @Test
    void aFactoryReturningNullIsRefusedAtOnce() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreFactoryNull")) {
                assertThrows(IllegalArgumentException.class, () -> system.spawn(Counter.class, () -> null, "counter"));
                assertNothingLeftBehind(system);
            }
        });
    }

    @Test
    void aFactoryThatThrowsFailsTheSpawnAtOnce() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreFactoryThrows")) {
                CoreFailure thrown = new CoreFailure("factory failed");
                RuntimeException e = assertThrows(RuntimeException.class, () -> system.spawn(Counter.class, () -> {
                    throw thrown;
                }, "counter"));
                assertTrue(e == thrown || e instanceof IllegalArgumentException && e.getCause() == thrown,
                        "the spawn fails with the factory's exception, or an IllegalArgumentException caused by it: " + e);
                assertNothingLeftBehind(system);
            }
        });
    }

    @Test
    void aTypeThatIsNotAProtocolIsRefused() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreNotAProtocol")) {
                assertThrows(IllegalArgumentException.class, () -> system.spawn(Runnable.class, () -> () -> {}, "runner"));
                assertThrows(IllegalArgumentException.class, () -> system.lookup(Runnable.class, "/user/runner"));
                assertNothingLeftBehind(system);
            }
        });
    }

    /** A refused spawn counts no actor and leaves its name free. */
    private static void assertNothingLeftBehind(ActorSystem system) throws Exception {
        assertEquals(0, system.metrics().liveActors());
        Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
        assertNotNull(counter);
        counter.increment(1);
        assertEquals(1, await(counter.get()));
    }
}
