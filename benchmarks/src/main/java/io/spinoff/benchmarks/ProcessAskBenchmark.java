package io.spinoff.benchmarks;

import io.spinoff.benchmarks.Protocols.Echo;
import io.spinoff.benchmarks.Protocols.Replies;
import io.spinoff.benchmarks.Protocols.Responder;
import io.spinoff.benchmarks.Protocols.Sink;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.Process;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The round trip of a request made by a {@link Process}, with an empty mailbox and with 10,000
 * unrelated messages queued in it (which the process never receives), two ways:
 * <ul>
 *   <li>{@code await}: an ask awaited with {@code await}, which does not look at the mailbox;
 *   <li>{@code receive}: a request whose reply comes back as a message, taken by a selective
 *       {@code receive} after a {@code mark()} (Erlang's receive marker), so it looks only at what
 *       arrived after the request, not at the backlog. This one can regress: a receive that scans
 *       the queued messages costs 10,000 tests per reply, and the ratio below shows it.
 * </ul>
 * The two mailbox sizes should be within 20% of each other for each way.
 *
 * <p>Each invocation hands the process a batch of requests through a plain queue (not its mailbox,
 * so that the hand-off itself scans nothing), the process makes them one after the other, checks
 * each reply's value, and the invocation waits for the batch to finish.
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProcessAskBenchmark {

    static final int ASKS = 1_000;

    /** A process making requests on demand, awaiting asks or receiving replies. */
    public static final class Asker extends Process {
        private final LinkedBlockingQueue<CompletableFuture<Void>> batches;
        private final Echo echo;
        private final Responder responder;
        private final boolean receive;

        Asker(LinkedBlockingQueue<CompletableFuture<Void>> batches, Echo echo, Responder responder, boolean receive) {
            this.batches = batches;
            this.echo = echo;
            this.responder = responder;
            this.receive = receive;
        }

        @Override
        protected void run() throws Exception {
            Replies me = self(Replies.class);
            while (true) {
                CompletableFuture<Void> batch = batches.take();
                for (int i = 0; i < ASKS; i++) {
                    int answer;
                    if (receive) {
                        ReceiveMark mark = mark();
                        responder.request(i, me);
                        answer = receive(Protocols_RepliesMessage.Reply.class, Duration.ofSeconds(10), mark).value();
                    } else {
                        answer = await(echo.echo(i), Duration.ofSeconds(10));
                    }
                    if (answer != i) {
                        batch.completeExceptionally(new IllegalStateException(
                                "process ask: expected the reply " + i + ", got " + answer));
                        return;
                    }
                }
                batch.complete(null);
            }
        }
    }

    /** The system, the answering actors and the asking process with its queued messages. */
    @State(Scope.Benchmark)
    public static class Setting {
        @Param({"0", "10000"})
        int queued;

        @Param({"await", "receive"})
        String how;

        ActorSystem system;
        final LinkedBlockingQueue<CompletableFuture<Void>> batches = new LinkedBlockingQueue<>();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            system = ActorSystem.builder("process-ask").parallelism(2).throughput(64).build();
            Echo echo = system.spawn(Echo.class, SpinoffActors.Echoer::new, "echo");
            Responder responder = system.spawn(Responder.class, SpinoffActors.ResponderActor::new, "responder");
            boolean receive = switch (how) {
                case "await" -> false;
                case "receive" -> true;
                default -> throw new IllegalArgumentException("how must be await or receive, not " + how);
            };
            var asker = system.spawnProcess(() -> new Asker(batches, echo, responder, receive), "asker");
            Sink unrelated = Protocols_SinkProtocol.INSTANCE.proxy(asker);
            for (int i = 0; i < queued; i++) {
                unrelated.hit();
            }
            // Let the unrelated messages reach the process's mailbox before measuring.
            CompletableFuture<Void> warm = new CompletableFuture<>();
            batches.put(warm);
            warm.get(30, TimeUnit.SECONDS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            system.close();
        }
    }

    /** @return the round trip of one request from a process */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(ASKS)
    public void processAsk(Setting setting) throws Exception {
        CompletableFuture<Void> batch = new CompletableFuture<>();
        setting.batches.put(batch);
        batch.get(60, TimeUnit.SECONDS);
    }
}
