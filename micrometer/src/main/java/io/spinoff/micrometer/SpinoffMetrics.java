package io.spinoff.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.spinoff.api.AskTimeoutException;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.ActorSystemMXBean;
import io.spinoff.runtime.ActorSystemMetrics;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Binds the figures of one actor system to a Micrometer registry: the same as
 * {@link ActorSystem#metrics()} and the system's {@link ActorSystemMXBean}, tagged {@code system}
 * (its name) and {@code node} (its address: {@code name@host:port} for a node, the name otherwise),
 * plus any tags given here.
 *
 * <pre>{@code
 * new SpinoffMetrics(system).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code spinoff.actors.live}</td><td>gauge</td><td>actors alive, guardians excluded</td></tr>
 *   <tr><td>{@code spinoff.dead.letters}</td><td>counter</td><td>messages that went to dead letters</td></tr>
 *   <tr><td>{@code spinoff.restarts}</td><td>counter</td><td>restarts made by supervisors</td></tr>
 *   <tr><td>{@code spinoff.mailbox.overflows}</td><td>counter</td><td>messages refused by full bounded mailboxes</td></tr>
 *   <tr><td>{@code spinoff.frames.dropped}</td><td>counter</td><td>network frames dropped</td></tr>
 *   <tr><td>{@code spinoff.asks.pending}</td><td>gauge</td><td>asks waiting for a reply</td></tr>
 *   <tr><td>{@code spinoff.mailbox.depth}</td><td>gauge</td><td>messages waiting in every mailbox</td></tr>
 *   <tr><td>{@code spinoff.peers}</td><td>gauge</td><td>remote nodes this node knows</td></tr>
 *   <tr><td>{@code spinoff.ask.latency}</td><td>timer</td><td>from an ask to its completion, local or
 *       remote, tagged {@code outcome}: {@code reply}, {@code timeout} or {@code failure}</td></tr>
 * </table>
 *
 * <p>The registry reads the figures when it publishes; the mailbox depth walks the actor tree, so a
 * system of very many actors makes that gauge cost in proportion. The meters hold the system
 * strongly: remove them from the registry, or close the registry, when the system closes.
 *
 * <p><b>Threading:</b> {@link #bindTo} may be called from any thread, once per registry.
 */
public final class SpinoffMetrics implements MeterBinder {

    private final ActorSystem system;
    private final Iterable<Tag> tags;

    /** @param system the system whose figures to bind */
    public SpinoffMetrics(ActorSystem system) {
        this(system, Tags.empty());
    }

    /**
     * @param system the system whose figures to bind
     * @param tags more tags for every meter, such as the application's name
     */
    public SpinoffMetrics(ActorSystem system, Iterable<Tag> tags) {
        this.system = Objects.requireNonNull(system, "system");
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags all = Tags.of("system", system.name(), "node", system.address()).and(tags);
        ActorSystemMetrics metrics = system.metrics();
        ActorSystemMXBean bean = system.mxBean();

        Gauge.builder("spinoff.actors.live", metrics, ActorSystemMetrics::liveActors).strongReference(true)
                .description("Actors alive, guardians excluded").tags(all).register(registry);
        FunctionCounter.builder("spinoff.dead.letters", metrics, m -> m.deadLetters())
                .description("Messages that went to dead letters").tags(all).register(registry);
        FunctionCounter.builder("spinoff.restarts", metrics, m -> m.restarts())
                .description("Actor restarts made by supervisors").tags(all).register(registry);
        FunctionCounter.builder("spinoff.mailbox.overflows", metrics, m -> m.mailboxOverflows())
                .description("Messages refused by full bounded mailboxes").tags(all).register(registry);
        FunctionCounter.builder("spinoff.messages.handled", metrics, m -> m.messagesHandled())
                .description("User messages handled by the system's actors").tags(all).register(registry);
        FunctionCounter.builder("spinoff.frames.dropped", metrics, m -> m.droppedFrames())
                .description("Network frames dropped as malformed, oversize, unknown or unauthorised").tags(all)
                .register(registry);
        Gauge.builder("spinoff.asks.pending", bean, ActorSystemMXBean::getPendingAsks).strongReference(true)
                .description("Asks waiting for a reply").tags(all).register(registry);
        Gauge.builder("spinoff.mailbox.depth", bean, ActorSystemMXBean::getMailboxDepth).strongReference(true)
                .description("Messages waiting in every mailbox").tags(all).register(registry);
        Gauge.builder("spinoff.peers", bean, b -> b.getPeers().size()).strongReference(true)
                .description("Remote nodes this node knows").tags(all).register(registry);
        Timer reply = askTimer(registry, all, "reply");
        Timer timeout = askTimer(registry, all, "timeout");
        Timer failure = askTimer(registry, all, "failure");
        system.addAskObserver((target, messageType, nanos, failed) ->
                (failed == null ? reply : failed instanceof AskTimeoutException ? timeout : failure)
                        .record(nanos, TimeUnit.NANOSECONDS));
    }

    private static Timer askTimer(MeterRegistry registry, Tags tags, String outcome) {
        return Timer.builder("spinoff.ask.latency").description("From an ask to its reply, timeout or failure")
                .tags(tags).tag("outcome", outcome).register(registry);
    }
}
