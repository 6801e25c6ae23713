package io.spinoff.runtime.internal.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.CoreEcho;
import io.spinoff.runtime.CoreEchoActor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a stopped actor leaves goes to its leftovers handler, which learns whether each message
 * was taken out of the mailbox or refused at the door; a termination callback can make the
 * mailbox hand over, at once, a message queued after the actor's last drain (the cluster's
 * entities rely on both to keep one sender's order across an entity's stop).
 */
class LeftoversHandOverTest {

    private record Left(Object message, boolean queued, Thread thread) {}

    @Test
    void aMessageQueuedAfterTheLastDrainIsHandedOverFromTheTerminationCallback() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (ActorSystem system = ActorSystem.builder("leftovers").parallelism(1).jmx(false).build()) {
                CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
                assertEquals("echo:warm", echo.echo("warm").toCompletableFuture().get(5, TimeUnit.SECONDS));
                ActorCell cell = ((LocalActorRef) ProtocolProxy.actorRefOf(echo)).cell();
                List<Left> left = new CopyOnWriteArrayList<>();
                cell.redirectLeftovers((message, reply, queued) -> left.add(new Left(message, queued, Thread.currentThread())));
                CompletableFuture<Object[]> seenByCallback = new CompletableFuture<>();
                cell.terminationFuture().whenComplete((terminated, failure) -> {
                    // As a sender that read the actor as alive just before its last drain and
                    // queued its message just after it.
                    cell.messages.offer("late");
                    boolean handed = cell.handOverLeftovers();
                    seenByCallback.complete(new Object[] {handed, List.copyOf(left), Thread.currentThread()});
                });

                cell.stopFromOutside(null);
                Object[] seen = seenByCallback.get(5, TimeUnit.SECONDS);
                assertEquals(true, seen[0], "the actor's last turn may hand over");
                assertEquals(List.of(new Left("late", true, (Thread) seen[2])), seen[1],
                        "handed over at once, on the last turn, as taken out of the mailbox");

                // The door is shut now: a send is refused there, and says so.
                cell.tell("after");
                assertEquals(new Left("after", false, Thread.currentThread()), left.get(1));
                assertEquals(2, left.size());
                assertFalse(cell.handOverLeftovers(), "only the actor's last turn hands over");
            }
        });
    }
}
