package io.spinoff.runtime.internal.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.CoreEcho;
import io.spinoff.runtime.CoreEchoActor;
import io.spinoff.runtime.internal.dispatch.Dispatcher;
import io.spinoff.runtime.internal.dispatch.MpscLinkedQueue;
import io.spinoff.runtime.internal.dispatch.MpscLinkedQueueTest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A producer descheduled between its swap and its link leaves an element in flight in the
 * mailbox; the actor must wait for the link within its turn, not end the turn and submit itself
 * again and again until the producer runs.
 */
class ActorCellInFlightTest {

    private static final VarHandle TURNS;

    static {
        try {
            TURNS = MethodHandles.privateLookupIn(Dispatcher.Carrier.class, MethodHandles.lookup())
                    .findVarHandle(Dispatcher.Carrier.class, "turns", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void anElementInFlightDoesNotMakeTheActorResubmitItselfInALoop() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (ActorSystem system = ActorSystem.builder("inFlight").parallelism(1).build()) {
                CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
                assertEquals("echo:warm", echo.echo("warm").toCompletableFuture().get(5, TimeUnit.SECONDS));
                ActorCell cell = ((LocalActorRef) ProtocolProxy.actorRefOf(echo)).cell();
                MpscLinkedQueue<Object> mailbox = cell.messages;

                long deadLettersBefore = system.metrics().deadLetters();
                MpscLinkedQueueTest.InFlight<Object> inFlight = MpscLinkedQueueTest.InFlight.swapIn(mailbox, "not a message");
                long turnsBefore = turns(cell.runtime.dispatcher());
                cell.sendSystem(new SystemMessage.Task(() -> { }));
                // The producer stays descheduled for a while.
                Thread.sleep(200);
                long turnsWhileInFlight = turns(cell.runtime.dispatcher()) - turnsBefore;
                inFlight.link();

                // The element is then handled (a dead letter: it is no message of the actor), in order.
                assertEquals("echo:after", echo.echo("after").toCompletableFuture().get(5, TimeUnit.SECONDS));
                assertEquals(deadLettersBefore + 1, system.metrics().deadLetters());
                assertTrue(turnsWhileInFlight <= 3,
                        "the actor ran " + turnsWhileInFlight + " turns while one element was in flight");
            }
        });
    }

    private static long turns(Dispatcher dispatcher) {
        long turns = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread instanceof Dispatcher.Carrier carrier && carrier.dispatcher == dispatcher) {
                turns += (long) TURNS.getOpaque(carrier);
            }
        }
        return turns;
    }
}
