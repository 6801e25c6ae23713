package io.spinoff.runtime.remote.conformance;

import static io.spinoff.runtime.remote.conformance.WireBytes.ASK;
import static io.spinoff.runtime.remote.conformance.WireBytes.BATCH;
import static io.spinoff.runtime.remote.conformance.WireBytes.FAILED_IN_ACTOR;
import static io.spinoff.runtime.remote.conformance.WireBytes.FAILURE;
import static io.spinoff.runtime.remote.conformance.WireBytes.HEARTBEAT;
import static io.spinoff.runtime.remote.conformance.WireBytes.HELLO;
import static io.spinoff.runtime.remote.conformance.WireBytes.NOT_FOUND;
import static io.spinoff.runtime.remote.conformance.WireBytes.NOT_IMPLEMENTED;
import static io.spinoff.runtime.remote.conformance.WireBytes.PROTOCOL_MISMATCH;
import static io.spinoff.runtime.remote.conformance.WireBytes.REASON_FAILED;
import static io.spinoff.runtime.remote.conformance.WireBytes.REASON_STOPPED;
import static io.spinoff.runtime.remote.conformance.WireBytes.REPLY;
import static io.spinoff.runtime.remote.conformance.WireBytes.STOPPED;
import static io.spinoff.runtime.remote.conformance.WireBytes.TARGET;
import static io.spinoff.runtime.remote.conformance.WireBytes.TELL;
import static io.spinoff.runtime.remote.conformance.WireBytes.TERMINATED;
import static io.spinoff.runtime.remote.conformance.WireBytes.TIMED_OUT;
import static io.spinoff.runtime.remote.conformance.WireBytes.UNDECODABLE;
import static io.spinoff.runtime.remote.conformance.WireBytes.ask;
import static io.spinoff.runtime.remote.conformance.WireBytes.fingerprint;
import static io.spinoff.runtime.remote.conformance.WireBytes.hex;
import static io.spinoff.runtime.remote.conformance.WireBytes.target;
import static io.spinoff.runtime.remote.conformance.WireBytes.tell;
import static io.spinoff.runtime.remote.conformance.WireBytes.unwatch;
import static io.spinoff.runtime.remote.conformance.WireBytes.watch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.PeerInfo;
import io.spinoff.runtime.SupervisorStrategy;
import io.spinoff.runtime.remote.conformance.WireBytes.Announced;
import io.spinoff.runtime.remote.conformance.WireBytes.Envelope;
import io.spinoff.runtime.remote.conformance.WireBytes.Hello;
import io.spinoff.runtime.remote.conformance.WireBytes.In;
import io.spinoff.runtime.remote.conformance.WireBytes.Out;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZContext;

/**
 * Talks to a real node through raw JeroMQ sockets, building and reading every byte with the
 * test's own codec ({@link WireBytes}) from the layouts of docs/WIRE-FORMAT.md. The runtime is
 * used only to start the node and to watch what its actors receive; the fingerprints are computed
 * here from the canonical texts that the spec defines.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireConformanceTest {

    static final String PACKAGE = "io.spinoff.runtime.remote.conformance.";
    static final String PROBE = PACKAGE + "WireProbe";
    static final String SINK = PACKAGE + "WireSink";
    static final String COUNTER = PACKAGE + "Counter";
    static final String SHAPES = PACKAGE + "WireShapes";

    static final String COUNTER_TEXT = "protocol " + COUNTER + "\n"
            + "0 add(int)\n"
            + "1 get() -> Integer\n";
    static final String SINK_TEXT = "protocol " + SINK + "\n"
            + "0 text(String)\n";
    static final String PROBE_TEXT = "protocol " + PROBE + "\n"
            + "0 crash(String)\n"
            + "1 echo(String) -> String\n"
            + "2 explode(String) -> String\n"
            + "3 forward(String,protocol " + SINK + ")\n"
            + "4 never() -> String\n"
            + "5 ping() -> Void\n"
            + "6 quit()\n"
            + "7 record(String)\n";
    static final String TREE = "record " + SHAPES + ".Tree";
    static final String MOOD = "enum " + SHAPES + ".Mood{CALM,GLAD,WILD}";
    static final String PAIR_LS = "record " + SHAPES + ".Pair<java.lang.Long, java.lang.String>";
    static final String PAIR_SL = "record " + SHAPES + ".Pair<java.lang.String, java.lang.Long>";
    static final String SHAPES_TEXT = "protocol " + SHAPES + "\n"
            + "0 grow(" + TREE + ",Map<String,Integer>,Set<" + MOOD + ">) -> " + TREE + "\n"
            + "1 link(protocol " + SINK + ",ActorRef)\n"
            + "2 scalars(boolean,byte,short,char,int,long,float,double,Integer,byte[],int[],double[],UUID,Instant,"
            + "Duration,BigInteger,BigDecimal) -> String\n"
            + "3 swap(" + PAIR_LS + ") -> " + PAIR_SL + "\n"
            + PAIR_LS + "(first:Long,second:String)\n"
            + PAIR_SL + "(first:String,second:Long)\n"
            + "record " + SHAPES + ".Point(x:int,y:int)\n"
            + TREE + "(label:String,children:List<" + TREE + ">,at:Optional<record " + SHAPES + ".Point>,mood:" + MOOD + ")\n";

    static final long COUNTER_FP = fingerprint(COUNTER_TEXT);
    static final long SINK_FP = fingerprint(SINK_TEXT);
    static final long PROBE_FP = fingerprint(PROBE_TEXT);
    static final long SHAPES_FP = fingerprint(SHAPES_TEXT);

    // Method indexes: methods are numbered in the order of their names.
    static final int CRASH = 0;
    static final int ECHO = 1;
    static final int EXPLODE = 2;
    static final int FORWARD = 3;
    static final int NEVER = 4;
    static final int PING = 5;
    static final int QUIT = 6;
    static final int RECORD = 7;

    private ActorSystem node;
    private String nodeName;
    private ZContext zmq;
    private final BlockingQueue<String> recorded = new LinkedBlockingQueue<>();

    /** Starts a node whose guardian stops a failed actor (so that its watchers learn reason FAILED). */
    private void start(Duration heartbeat, Duration downAfter) {
        start(heartbeat, downAfter, 16 << 20);
    }

    /** As {@link #start(Duration, Duration)}, with that inbound limit. */
    private void start(Duration heartbeat, Duration downAfter, int maxInboundBytes) {
        node = ActorSystem.builder("conformance").bind("tcp://127.0.0.1:0").jmx(false)
                .heartbeatInterval(heartbeat).downAfter(downAfter).maxInboundBytes(maxInboundBytes)
                .guardianStrategy(SupervisorStrategy.oneForOne().withDecider(failure -> SupervisorStrategy.Directive.STOP))
                .build();
        nodeName = node.address();
        zmq = new ZContext(1);
        node.spawn(WireProbe.class, () -> new WireProbeActor(recorded), "probe");
    }

    private void start() {
        start(Duration.ofMillis(200), Duration.ofSeconds(10));
    }

    @AfterEach
    void close() {
        if (zmq != null) {
            zmq.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private RawPeer peer(String system) {
        return new RawPeer(zmq, system, randomIncarnation(), nodeName);
    }

    private static long randomIncarnation() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    /** A message: the method index, then the arguments (here strings, each a present reference value). */
    static byte[] call(int method, String... strings) {
        Out out = new Out().varint(method);
        for (String text : strings) {
            out.someString(text);
        }
        return out.bytes();
    }

    private String take() throws InterruptedException {
        return recorded.poll(10, TimeUnit.SECONDS);
    }

    private List<String> peerNames() {
        return node.mxBean().getPeers().stream().map(PeerInfo::getNode).toList();
    }

    // ------------------------------------------------------------------ the fingerprint

    @Test
    void fingerprintsComputedFromTheCanonicalTextAreAcceptedByTheNode() throws Exception {
        start();
        node.spawn(Counter.class, CounterActor::new, "counter");
        node.spawn(WireShapes.class, WireShapesActor::new, "shapes");
        try (RawPeer peer = peer("py")) {
            // Each TARGET carries the fingerprint computed here; an ask answered with a REPLY (not
            // a FAILURE of code 5) shows the node agrees.
            peer.send(peer.batch(
                    target("/user/probe", PROBE, PROBE_FP), ask(0, 1, 5_000, call(ECHO, "a")),
                    target("/user/counter", COUNTER, COUNTER_FP), ask(1, 2, 5_000, new Out().varint(1).bytes()),
                    target("/user/shapes", SHAPES, SHAPES_FP), ask(2, 3, 5_000, swap(7L, "seven"))));
            Map<Long, byte[]> replies = new HashMap<>();
            while (replies.size() < 3) {
                In frame = new In(peer.nextFrame(10_000));
                assertEquals(REPLY, frame.u8(), "a reply, not a failure");
                replies.put(frame.zigzag(), frame.rest());
            }
            assertEquals("01 06 65 63 68 6F 3A 61", hex(replies.get(1L)), "echo:a");
            assertEquals("01 00", hex(replies.get(2L)), "the count 0");
            In swapped = new In(replies.get(3L));
            assertEquals(1, swapped.presence());
            assertEquals("seven", swapped.someString());
            assertEquals(1, swapped.presence());
            assertEquals(7L, swapped.zigzag());
            swapped.expectEnd();
        }
    }

    private static byte[] swap(long first, String second) {
        // swap is method 3; a Pair<Long, String>: presence, then its components (each a reference value).
        return new Out().varint(3).u8(1).u8(1).zigzag(first).someString(second).bytes();
    }

    // ------------------------------------------------------------------ HELLO and heartbeats

    @Test
    void theNodeDialsThePeerBackWithAHelloThenHeartbeats() throws Exception {
        start(Duration.ofMillis(100), Duration.ofSeconds(10));
        try (RawPeer peer = peer("py")) {
            peer.send(WireBytes.hello(peer.name, peer.incarnation, nodeName, List.of(new Announced(PROBE, PROBE_FP))));

            // The node's first message to the peer, on a connection the node opened to the address
            // in the peer's name: a HELLO naming the peer.
            Envelope hello = peer.next(10_000);
            assertEquals(HELLO, hello.kind());
            assertEquals(nodeName, hello.sender());
            assertNotEquals(0, hello.incarnation());
            Hello content = hello.hello();
            assertEquals(peer.name, content.receiver());
            assertTrue(content.protocols().size() <= 64, "at most 64 protocols: " + content.protocols());
            assertArrayEquals(hello.raw(), WireBytes.hello(hello.sender(), hello.incarnation(), content.receiver(),
                    content.protocols()), "the HELLO has exactly the spec's layout");

            for (int i = 0; i < 3; i++) {
                Envelope beat = peer.awaitHeartbeat(5_000);
                assertEquals(nodeName, beat.sender());
                assertEquals(hello.incarnation(), beat.incarnation());
                assertEquals(0, beat.body().length, "a heartbeat is the header alone");
                assertArrayEquals(beat.raw(), WireBytes.heartbeat(nodeName, hello.incarnation()));
            }
            assertFalse(peer.dealerReceivedWithin(200), "nothing comes back on the peer's own connection");
        }
    }

    @Test
    void helloIsOptionalAndItsMismatchesAreOnlyLogged() throws Exception {
        start();
        try (RawPeer wrong = peer("wrong"); RawPeer silent = peer("silent")) {
            long before = node.metrics().droppedFrames();
            // A HELLO meant for another node, announcing a wrong fingerprint: logged, nothing refused.
            wrong.send(WireBytes.hello(wrong.name, wrong.incarnation, "someone@127.0.0.1:1",
                    List.of(new Announced(PROBE, PROBE_FP ^ 1))));
            wrong.send(wrong.batch(target("/user/probe", PROBE, PROBE_FP), tell(0, call(RECORD, "after a wrong hello"))));
            assertEquals("after a wrong hello", take());
            assertEquals(HELLO, wrong.next(10_000).kind());

            // No HELLO at all: the first BATCH is served, and the node still greets the peer.
            silent.send(silent.batch(target("/user/probe", PROBE, PROBE_FP), tell(0, call(RECORD, "without a hello"))));
            assertEquals("without a hello", take());
            Envelope first = silent.next(10_000);
            assertEquals(HELLO, first.kind());
            assertEquals(silent.name, first.hello().receiver());
            assertEquals(before, node.metrics().droppedFrames(), "a mismatched HELLO drops nothing");
        }
    }

    // ------------------------------------------------------------------ tell

    @Test
    void tellsReachTheActorInOrderAndTargetIndexesLiveForOneBatch() throws Exception {
        start();
        node.spawn(Counter.class, CounterActor::new, "counter");
        try (RawPeer peer = peer("py")) {
            peer.send(peer.batch(
                    target("/user/probe", PROBE, PROBE_FP),
                    tell(0, call(RECORD, "one")),
                    target("/user/counter", COUNTER, COUNTER_FP),
                    tell(1, new Out().varint(0).zigzag(5).bytes()),
                    tell(0, call(RECORD, "two"))));
            // A new batch starts a new table: index 0 is whatever its first TARGET names.
            peer.send(peer.batch(
                    target("/user/counter", COUNTER, COUNTER_FP),
                    tell(0, new Out().varint(0).zigzag(-2).bytes()),
                    target("/user/probe", PROBE, PROBE_FP),
                    tell(1, call(RECORD, "three")),
                    ask(0, 1, 5_000, new Out().varint(1).bytes())));
            assertEquals(List.of("one", "two", "three"), List.of(take(), take(), take()));
            In reply = new In(peer.nextFrame(10_000));
            assertEquals(REPLY, reply.u8());
            assertEquals(1, reply.zigzag());
            assertEquals(1, reply.presence());
            assertEquals(3, reply.zigzag(), "5 + (-2)");
            reply.expectEnd();
        }
    }

    @Test
    void aBatchNamesAtMost1024Targets() throws Exception {
        start();
        try (RawPeer peer = peer("py")) {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 1025; i++) {
                frames.add(target("/user/probe", PROBE, PROBE_FP));
            }
            frames.add(tell(1024, call(RECORD, "past the limit")));
            frames.add(tell(1023, call(RECORD, "the last target")));
            peer.send(WireBytes.batch(peer.name, peer.incarnation, frames));
            peer.send(peer.batch(target("/user/probe", PROBE, PROBE_FP), tell(0, call(RECORD, "next batch"))));
            assertEquals("the last target", take());
            assertEquals("next batch", take());
            assertTrue(recorded.isEmpty(), String.valueOf(recorded));
        }
    }

    // ------------------------------------------------------------------ ask, reply and failures

    @Test
    void repliesComeToThePeersOwnSocketNotOnItsConnection() throws Exception {
        start();
        try (RawPeer peer = peer("py")) {
            peer.send(peer.batch(target("/user/probe", PROBE, PROBE_FP),
                    ask(0, 7, 5_000, call(ECHO, "hi")), ask(0, -8, 5_000, call(PING))));
            Envelope hello = peer.awaitHello(10_000);
            assertEquals(nodeName, hello.sender());
            Map<Long, byte[]> replies = new HashMap<>();
            while (replies.size() < 2) {
                byte[] bytes = peer.nextFrame(10_000);
                In frame = new In(bytes);
                assertEquals(REPLY, frame.u8(), hex(bytes));
                replies.put(frame.zigzag(), frame.rest());
            }
            In echo = new In(replies.get(7L));
            assertEquals("echo:hi", echo.someString());
            echo.expectEnd();
            assertEquals(0, replies.get(-8L).length, "a CompletionStage<Void> reply has no bytes");
            Envelope batch = peer.received.stream().filter(e -> e.kind() == BATCH).findFirst().orElseThrow();
            assertEquals(nodeName, batch.sender());
            assertEquals(hello.incarnation(), batch.incarnation());
            assertFalse(peer.dealerReceivedWithin(200), "nothing comes back on the peer's own connection");
        }
    }

    @Test
    void everyFailureCodeComesAsTheSpecSays() throws Exception {
        start();
        node.spawn(WireProbe.class, () -> new WireProbeActor(recorded), "thrower");
        node.spawn(WireProbe.class, () -> new WireProbeActor(recorded), "quitter");
        try (RawPeer peer = peer("py")) {
            byte[] malformedTarget = new Out().u8(TARGET).string("/user/probe").string(PROBE).bytes();
            peer.send(peer.batch(
                    target("/user/nobody", PROBE, PROBE_FP), ask(0, 1, 5_000, call(ECHO, "x")),
                    target("/system/probe", PROBE, PROBE_FP), ask(1, 2, 5_000, call(ECHO, "x")),
                    target("/user/probe", PROBE, PROBE_FP ^ 1), ask(2, 3, 5_000, call(ECHO, "x")),
                    target("/user/probe", SINK, SINK_FP), ask(3, 4, 5_000, new Out().varint(0).someString("x").bytes()),
                    target("/user/thrower", PROBE, PROBE_FP), ask(4, 5, 5_000, call(EXPLODE, "boom")),
                    target("/user/probe", PROBE, PROBE_FP), ask(5, 6, 300, call(NEVER)),
                    ask(5, 7, 5_000, new Out().varint(99).bytes()),
                    ask(5, 8, 5_000, call(RECORD, "a tell's message")),
                    ask(5, 9, 5_000, call(ECHO, "x", "one argument too many")),
                    malformedTarget, ask(6, 10, 5_000, call(ECHO, "x")),
                    target("/user/quitter", PROBE, PROBE_FP), tell(7, call(QUIT)), ask(7, 11, 5_000, call(ECHO, "x"))));
            long sent = System.nanoTime();
            Map<Long, Integer> codes = new HashMap<>();
            Map<Long, String> texts = new HashMap<>();
            long timedOutAfter = -1;
            while (codes.size() < 11) {
                byte[] bytes = peer.nextFrame(10_000);
                In frame = new In(bytes);
                assertEquals(FAILURE, frame.u8(), hex(bytes));
                long correlation = frame.zigzag();
                codes.put(correlation, frame.u8());
                texts.put(correlation, frame.string());
                frame.expectEnd();
                if (correlation == 6) {
                    timedOutAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                }
            }
            Map<Long, Integer> expected = new HashMap<>();
            expected.put(1L, NOT_FOUND);
            expected.put(2L, NOT_FOUND);
            expected.put(3L, PROTOCOL_MISMATCH);
            expected.put(4L, NOT_IMPLEMENTED);
            expected.put(5L, FAILED_IN_ACTOR);
            expected.put(6L, TIMED_OUT);
            expected.put(7L, UNDECODABLE);
            expected.put(8L, UNDECODABLE);
            expected.put(9L, UNDECODABLE);
            expected.put(10L, UNDECODABLE);
            expected.put(11L, STOPPED);
            assertEquals(expected, codes, texts.toString());
            assertTrue(texts.get(5L).contains("boom"), texts.get(5L));
            assertTrue(texts.get(3L).contains(Long.toHexString(PROBE_FP ^ 1)), texts.get(3L));
            assertTrue(timedOutAfter >= 250, "the node applies the ask's timeout: " + timedOutAfter + " ms");
            assertTrue(texts.values().stream().noneMatch(String::isEmpty), texts.toString());
        }
    }

    /** Holds the actor in its first record until released. Added to only by the actor's turns. */
    private static final class Gate extends LinkedBlockingQueue<String> {
        private static final long serialVersionUID = 1L;
        final transient CountDownLatch entered = new CountDownLatch(1);
        final transient CountDownLatch release = new CountDownLatch(1);

        @Override
        public boolean add(String text) {
            if (entered.getCount() > 0) {
                entered.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.add(text);
        }
    }

    @Test
    void pastTheInboundLimitTellsAreDroppedAndAnAskIsAnsweredCode1AtOnce() throws Exception {
        // Each TELL costs its payload plus 64 bytes: three of these fill the limit.
        start(Duration.ofMillis(200), Duration.ofSeconds(10), 3 * (call(RECORD, "1").length + 64));
        Gate gate = new Gate();
        node.spawn(WireProbe.class, () -> new WireProbeActor(gate), "held");
        try (RawPeer peer = peer("py")) {
            peer.send(peer.batch(target("/user/held", PROBE, PROBE_FP), tell(0, call(RECORD, "0"))));
            assertTrue(gate.entered.await(10, TimeUnit.SECONDS), "the first tell did not arrive");
            // The actor holds "0": "1" to "3" wait (the limit), "4", "5" and the ask are dropped.
            peer.send(peer.batch(target("/user/held", PROBE, PROBE_FP), tell(0, call(RECORD, "1")),
                    tell(0, call(RECORD, "2")), tell(0, call(RECORD, "3")), tell(0, call(RECORD, "4")),
                    tell(0, call(RECORD, "5")), ask(0, 42, 5_000, call(ECHO, "x"))));
            long sent = System.nanoTime();
            byte[] bytes = peer.nextFrame(10_000);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            In frame = new In(bytes);
            assertEquals(FAILURE, frame.u8(), hex(bytes));
            assertEquals(42, frame.zigzag());
            assertEquals(FAILED_IN_ACTOR, frame.u8());
            String text = frame.string();
            frame.expectEnd();
            assertTrue(text.contains("inbound limit"), text);
            assertTrue(millis < 3_000, "answered after " + millis + " ms");

            gate.release.countDown();
            List<String> taken = new ArrayList<>();
            for (String item; (item = gate.poll(2, TimeUnit.SECONDS)) != null; ) {
                taken.add(item);
            }
            assertEquals(List.of("0", "1", "2", "3"), taken, "what was delivered keeps its order");
            long dropped = node.mxBean().getPeers().stream().filter(info -> info.getNode().equals(peer.name))
                    .mapToLong(PeerInfo::getInboundDropped).sum();
            assertEquals(3, dropped, "two tells and the ask are counted for the peer");

            // Drained, the actor has room again.
            peer.send(peer.batch(target("/user/held", PROBE, PROBE_FP), ask(0, 43, 5_000, call(ECHO, "y"))));
            In reply = new In(peer.nextFrame(10_000));
            assertEquals(REPLY, reply.u8());
            assertEquals(43, reply.zigzag());
        }
    }

    @Test
    void aTimeoutIsClampedToOneHourAndAtLeastOneMillisecond() throws Exception {
        start();
        try (RawPeer peer = peer("py")) {
            // 0 ms becomes 1 ms: the ask times out at once rather than never.
            peer.send(peer.batch(target("/user/probe", PROBE, PROBE_FP), ask(0, 1, 0, call(NEVER)),
                    // The largest unsigned 64-bit value reads as negative and becomes 1 ms too.
                    ask(0, 2, -1L, call(NEVER))));
            for (int i = 0; i < 2; i++) {
                In frame = new In(peer.nextFrame(5_000));
                assertEquals(FAILURE, frame.u8());
                frame.zigzag();
                assertEquals(TIMED_OUT, frame.u8());
            }
        }
    }

    // ------------------------------------------------------------------ references

    @Test
    void theNodeTellsActorsThePeerHostsWithTargetAndFingerprint() throws Exception {
        start();
        node.spawn(WireShapes.class, WireShapesActor::new, "shapes");
        try (RawPeer peer = peer("py")) {
            String sink = peer.name + "/user/sink";
            peer.send(peer.batch(target("/user/probe", PROBE, PROBE_FP),
                    tell(0, new Out().varint(FORWARD).someString("to the peer").someString(sink).bytes())));
            In target = new In(peer.nextFrame(10_000));
            assertEquals(TARGET, target.u8());
            assertEquals("/user/sink", target.string());
            assertEquals(SINK, target.string());
            assertEquals(SINK_FP, target.zigzag(), "the node's fingerprint equals the one computed from the canonical text");
            target.expectEnd();
            In tell = new In(peer.nextFrame(10_000));
            assertEquals(TELL, tell.u8());
            assertEquals(0, tell.varint());
            assertEquals(0, tell.varint(), "method text, index 0");
            assertEquals("to the peer", tell.someString());
            tell.expectEnd();

            // A protocol reference and an ActorRef are both addresses.
            peer.send(peer.batch(target("/user/shapes", SHAPES, SHAPES_FP),
                    tell(0, new Out().varint(1).someString(sink).someString(peer.name + "/user/other").bytes())));
            byte[] next = peer.nextFrame(10_000);
            In frame = new In(next);
            if (frame.u8() == TARGET) {
                frame = new In(peer.nextFrame(10_000));
                frame.u8();
            }
            frame.varint();
            assertEquals(0, frame.varint());
            assertEquals("linked " + peer.name + "/user/other", frame.someString());
        }
    }

    @Test
    void valuesOfEveryKindCrossAsTheSpecLaysThemOut() throws Exception {
        start();
        node.spawn(WireShapes.class, WireShapesActor::new, "shapes");
        try (RawPeer peer = peer("py")) {
            UUID id = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
            // grow(Tree("seed", [Tree("leaf", [], empty, CALM)], Optional.of(Point(-1, 2)), GLAD),
            //      {"a": 1}, {WILD})
            Out grow = new Out().varint(0)
                    .u8(1).someString("seed")
                    .u8(1).varint(1)
                    .u8(1).someString("leaf").u8(1).varint(0).u8(1).u8(0).u8(1).varint(0)
                    .u8(1).u8(1).zigzag(-1).zigzag(2)
                    .u8(1).varint(1)
                    .u8(1).varint(1).someString("a").u8(1).zigzag(1)
                    .u8(1).varint(1).u8(1).varint(2);
            Out scalars = new Out().varint(2)
                    .u8(1).u8(0xAB).zigzag(-300).varint('é').zigzag(Integer.MIN_VALUE).zigzag(Long.MAX_VALUE)
                    .fixed32(Float.floatToRawIntBits(1.5f)).fixed64(Double.doubleToRawLongBits(-0.25))
                    .u8(0)
                    .u8(1).varint(3).raw(new byte[] {1, 2, 3})
                    .u8(1).varint(2).zigzag(1).zigzag(-1)
                    .u8(1).varint(1).fixed64(Double.doubleToRawLongBits(2.0))
                    .u8(1).fixed64(id.getMostSignificantBits()).fixed64(id.getLeastSignificantBits())
                    .u8(1).zigzag(-1).varint(999_999_999)
                    .u8(1).zigzag(-2).varint(500_000_000)
                    .u8(1).varint(2).raw(new byte[] {0, (byte) 0xFF})
                    .u8(1).varint(1).raw(new byte[] {0x0F}).zigzag(1);
            peer.send(peer.batch(target("/user/shapes", SHAPES, SHAPES_FP),
                    ask(0, 1, 5_000, grow.bytes()), ask(0, 2, 5_000, scalars.bytes())));
            Map<Long, byte[]> replies = new HashMap<>();
            while (replies.size() < 2) {
                byte[] bytes = peer.nextFrame(10_000);
                In frame = new In(bytes);
                assertEquals(REPLY, frame.u8(), hex(bytes));
                replies.put(frame.zigzag(), frame.rest());
            }

            In tree = new In(replies.get(1L));
            assertEquals(1, tree.presence());
            assertEquals("seed{a=1}[WILD]", tree.someString());
            assertEquals(1, tree.presence());
            assertEquals(1, tree.varint(), "one child");
            assertEquals(1, tree.presence());
            assertEquals("seed", tree.someString());
            assertEquals(1, tree.presence());
            assertEquals(1, tree.varint());
            assertEquals(1, tree.presence());
            assertEquals("leaf", tree.someString());
            assertEquals(1, tree.presence());
            assertEquals(0, tree.varint());
            assertEquals(1, tree.presence(), "the Optional");
            assertEquals(0, tree.presence(), "empty");
            assertEquals(1, tree.presence());
            assertEquals(0, tree.varint(), "CALM");
            assertEquals(1, tree.presence());
            assertEquals(1, tree.presence());
            assertEquals(-1, tree.zigzag());
            assertEquals(2, tree.zigzag());
            assertEquals(1, tree.presence());
            assertEquals(1, tree.varint(), "GLAD");
            assertEquals(1, tree.presence(), "the Optional");
            assertEquals(1, tree.presence(), "present");
            assertEquals(1, tree.zigzag(), "one weight");
            assertEquals(1, tree.zigzag(), "summing to 1");
            assertEquals(1, tree.presence());
            assertEquals(2, tree.varint(), "WILD");
            tree.expectEnd();

            In text = new In(replies.get(2L));
            assertEquals(String.join("|", "true", "-85", "-300", "é", String.valueOf(Integer.MIN_VALUE),
                    String.valueOf(Long.MAX_VALUE), "1.5", "-0.25", "null", "[1, 2, 3]", "[1, -1]", "[2.0]", id.toString(),
                    "1969-12-31T23:59:59.999999999Z", "PT-1.5S", "255", "1.5"), text.someString());
            text.expectEnd();
        }
    }

    // ------------------------------------------------------------------ watch

    @Test
    void watchBringsTerminatedWithItsReasonAndUnwatchEndsIt() throws Exception {
        start();
        node.spawn(WireProbe.class, () -> new WireProbeActor(recorded), "victim");
        node.spawn(WireProbe.class, () -> new WireProbeActor(recorded), "crasher");
        Object kept = node.spawn(WireProbe.class, () -> new WireProbeActor(recorded), "kept");
        Object marker = node.spawn(WireProbe.class, () -> new WireProbeActor(recorded), "marker");
        try (RawPeer peer = peer("py")) {
            peer.send(peer.batch(watch("/user/victim"), watch("/user/victim"), watch("/user/crasher"),
                    watch("/user/nobody"), watch("/user/kept"), unwatch("/user/kept")));
            assertArrayEquals(WireBytes.terminated("/user/nobody", REASON_STOPPED), peer.nextFrame(10_000),
                    "watching no actor is answered at once, reason stopped");

            peer.send(peer.batch(target("/user/victim", PROBE, PROBE_FP), tell(0, call(QUIT))));
            assertArrayEquals(WireBytes.terminated("/user/victim", REASON_STOPPED), peer.nextFrame(10_000),
                    "one TERMINATED for two WATCHes");

            peer.send(peer.batch(target("/user/crasher", PROBE, PROBE_FP), tell(0, call(CRASH, "on purpose"))));
            assertArrayEquals(WireBytes.terminated("/user/crasher", REASON_FAILED), peer.nextFrame(10_000));

            node.stop(kept).toCompletableFuture().get(10, TimeUnit.SECONDS);
            peer.send(peer.batch(watch("/user/marker")));
            node.stop(marker).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertArrayEquals(WireBytes.terminated("/user/marker", REASON_STOPPED), peer.nextFrame(10_000));
            assertNull(peer.pollFrame(300), "nothing for the unwatched actor, nor a second TERMINATED");
        }
    }

    // ------------------------------------------------------------------ client peers

    @Test
    void aClientPeerThatBindsNothingIsAnsweredOnItsOwnConnection() throws Exception {
        start();
        try (RawPeer client = new RawPeer(zmq, "py", randomIncarnation(), nodeName, true)) {
            assertTrue(client.name.endsWith(":0"));
            String sink = client.name + "/user/sink";
            client.send(client.batch(target("/user/probe", PROBE, PROBE_FP), ask(0, 7, 5_000, call(ECHO, "hi")),
                    tell(0, new Out().varint(FORWARD).someString("to the client").someString(sink).bytes()),
                    watch("/user/probe")));
            In reply = new In(client.nextFrame(10_000));
            assertEquals(REPLY, reply.u8());
            assertEquals(7, reply.zigzag());
            assertEquals("echo:hi", reply.someString());
            In target = new In(client.nextFrame(10_000));
            assertEquals(TARGET, target.u8());
            assertEquals("/user/sink", target.string());
            In tell = new In(client.nextFrame(10_000));
            assertEquals(TELL, tell.u8());
            tell.varint();
            tell.varint();
            assertEquals("to the client", tell.someString());

            client.awaitHeartbeat(5_000);
            assertTrue(client.received.stream().noneMatch(e -> e.kind() == HELLO), "a node sends a client no HELLO");
            assertTrue(peerNames().contains(client.name));

            client.send(client.batch(target("/user/probe", PROBE, PROBE_FP), tell(0, call(QUIT))));
            assertArrayEquals(WireBytes.terminated("/user/probe", REASON_STOPPED), client.nextFrame(10_000));
        }
    }

    // ------------------------------------------------------------------ incarnations and down

    @Test
    void aSilentPeerIsDownAfterDownAfterAndHeartbeatsKeepItUp() throws Exception {
        long downAfter = 1_500;
        start(Duration.ofMillis(100), Duration.ofMillis(downAfter));
        try (RawPeer peer = peer("py")) {
            peer.heartbeat();
            Envelope hello = peer.awaitHello(10_000);
            // Three times downAfter, heard from every 100 ms or so: the peer stays up.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * downAfter);
            long lastSent = 0;
            while (System.nanoTime() < until) {
                peer.heartbeat();
                lastSent = System.nanoTime();
                peer.next(100);
                assertTrue(peerNames().contains(peer.name), "a peer that heartbeats stays up");
            }
            assertEquals(peer.incarnation, node.mxBean().getPeers().stream()
                    .filter(p -> p.getNode().equals(peer.name)).findFirst().orElseThrow().getIncarnation());

            // Silent from its last heartbeat on, which the node cannot have heard before it was sent.
            while (peerNames().contains(peer.name)) {
                assertTrue(System.nanoTime() - lastSent < TimeUnit.SECONDS.toNanos(10), "declared down in time");
                peer.next(20);
            }
            long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastSent);
            assertTrue(silentMillis >= downAfter, "not before downAfter: " + silentMillis + " ms");
            // Down, the node closes its connection to the peer: heartbeats stop.
            while (peer.next(300) != null) {
                // drain what was in flight
            }
            assertNull(peer.next(500), "no heartbeat to a peer that is down");

            // Heard from again, the peer is new to the node, which greets it with a HELLO.
            peer.heartbeat();
            Envelope again = peer.awaitHello(10_000);
            assertEquals(hello.incarnation(), again.incarnation(), "the node itself did not restart");
        }
    }

    @Test
    void aNewIncarnationEndsWhatTheOldOneHad() throws Exception {
        start();
        Object victim = node.spawn(WireProbe.class, () -> new WireProbeActor(recorded), "victim");
        Object marker = node.spawn(WireProbe.class, () -> new WireProbeActor(recorded), "marker");
        try (RawPeer peer = peer("py")) {
            peer.send(peer.batch(watch("/user/victim")));
            peer.awaitHello(10_000);
            long restarted = randomIncarnation();
            // Same name, another incarnation: the node takes it for a restarted peer.
            peer.send(WireBytes.batch(peer.name, restarted, watch("/user/marker")));
            peer.awaitHello(10_000);
            assertTrue(node.mxBean().getPeers().stream().anyMatch(p -> p.getIncarnation() == restarted));
            node.stop(victim).toCompletableFuture().get(10, TimeUnit.SECONDS);
            node.stop(marker).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertArrayEquals(WireBytes.terminated("/user/marker", REASON_STOPPED), peer.nextFrame(10_000));
            assertNull(peer.pollFrame(300), "the old incarnation's watch ended with it");
        }
    }

    // ------------------------------------------------------------------ what the node refuses

    @Test
    void foreignVersionsMagicAndBadHeadersAreDroppedWithoutAnAnswer() throws Exception {
        start();
        try (RawPeer peer = peer("py")) {
            long before = node.metrics().droppedFrames();
            byte[] hello = WireBytes.hello(peer.name, peer.incarnation, nodeName, List.of());
            byte[] version3 = hello.clone();
            version3[2] = 3;
            byte[] badMagic = hello.clone();
            badMagic[0] = 'X';
            List<byte[]> refused = List.of(
                    version3,
                    badMagic,
                    WireBytes.heartbeat(peer.name, 0),
                    WireBytes.heartbeat("no-port@127.0.0.1", peer.incarnation),
                    WireBytes.heartbeat(nodeName, peer.incarnation),
                    WireBytes.header(4, peer.name, peer.incarnation).bytes());
            for (byte[] message : refused) {
                peer.send(message);
            }
            peer.sendParts(WireBytes.heartbeat(peer.name, peer.incarnation), new byte[] {0});
            assertNull(peer.next(1_000), "no answer, no HELLO: the node does not know the peer");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (node.metrics().droppedFrames() - before < refused.size() + 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(refused.size() + 1, node.metrics().droppedFrames() - before, "each is counted as dropped");
            assertFalse(peerNames().contains(peer.name));

            peer.heartbeat();
            assertEquals(HELLO, peer.next(10_000).kind(), "a well-formed envelope after them is served");
        }
    }

    @Test
    void aMalformedFrameDropsOnlyItself() throws Exception {
        start();
        try (RawPeer peer = peer("py")) {
            long before = node.metrics().droppedFrames();
            peer.send(peer.batch(
                    target("/user/probe", PROBE, PROBE_FP),
                    new byte[] {(byte) 0x99, 1, 2},
                    tell(0, new Out().varint(RECORD).u8(2).bytes()),
                    tell(5, call(RECORD, "no such index")),
                    tell(0, call(RECORD, "still served"))));
            assertEquals("still served", take());
            assertEquals(3, node.metrics().droppedFrames() - before, "unknown kind, bad presence byte, bad index");
        }
    }

    // ------------------------------------------------------------------ the spec's worked examples

    /**
     * The hex of every worked example in docs/WIRE-FORMAT.md is what this test's codec builds from
     * the values the example names; the fingerprint the spec shows is the SHA-256 prefix of the
     * canonical text it shows.
     */
    @Test
    void theSpecsWorkedExamplesAreTheBytesOfTheLayouts() throws IOException {
        String spec = Files.readString(specPath());
        String alpha = "alpha@127.0.0.1:7100";
        String py = "py@127.0.0.1:7200";
        long alphaIncarnation = -3;
        long pyIncarnation = 300;

        assertEquals(COUNTER_TEXT, block(spec, "Canonical text of Counter") + "\n");
        assertEquals(String.format("%016X", COUNTER_FP), block(spec, "Fingerprint of Counter"));
        assertEquals(SHAPES_TEXT, block(spec, "Canonical text of WireShapes") + "\n");
        assertEquals(String.format("%016X", SHAPES_FP), block(spec, "Fingerprint of WireShapes"));
        assertTrue(spec.contains("varint is\n`" + hex(new Out().zigzag(COUNTER_FP).bytes()) + "`"),
                "the spec shows the fingerprint's varint");

        assertEquals(hex(WireBytes.hello(py, pyIncarnation, alpha, List.of(new Announced(COUNTER, COUNTER_FP))))
                , hexOf(block(spec, "Example: a HELLO")));
        assertEquals(hex(WireBytes.batch(py, pyIncarnation, target("/user/counter", COUNTER, COUNTER_FP),
                tell(0, new Out().varint(0).zigzag(5).bytes()))), hexOf(block(spec, "Example: a tell")));
        assertEquals(hex(WireBytes.batch(py, pyIncarnation, target("/user/counter", COUNTER, COUNTER_FP),
                ask(0, 1, 5_000, new Out().varint(1).bytes()))), hexOf(block(spec, "Example: an ask")));
        assertEquals(hex(WireBytes.batch(alpha, alphaIncarnation, WireBytes.reply(1, new Out().u8(1).zigzag(5).bytes()))),
                hexOf(block(spec, "Example: its reply")));
        assertEquals(hex(WireBytes.heartbeat(alpha, alphaIncarnation)), hexOf(block(spec, "Example: a heartbeat")));
        assertEquals(hex(WireBytes.batch(alpha, alphaIncarnation, WireBytes.failure(2, NOT_FOUND, "no actor"))),
                hexOf(block(spec, "Example: a failure")));
    }

    /** The examples above, sent to a node: the tell adds 5 and the ask's reply is {@code 01 0A}. */
    @Test
    void theSpecsExamplesWorkAgainstANode() throws Exception {
        start();
        node.spawn(Counter.class, CounterActor::new, "counter");
        try (RawPeer peer = peer("py")) {
            peer.send(WireBytes.hello(peer.name, peer.incarnation, nodeName, List.of(new Announced(COUNTER, COUNTER_FP))));
            peer.send(peer.batch(target("/user/counter", COUNTER, COUNTER_FP), tell(0, new Out().varint(0).zigzag(5).bytes())));
            peer.send(peer.batch(target("/user/counter", COUNTER, COUNTER_FP), ask(0, 1, 5_000, new Out().varint(1).bytes())));
            assertEquals(hex(WireBytes.reply(1, new Out().u8(1).zigzag(5).bytes())), hex(peer.nextFrame(10_000)));
            Envelope reply = peer.received.stream().filter(e -> e.kind() == BATCH).findFirst().orElseThrow();
            assertArrayEquals(WireBytes.batch(nodeName, reply.incarnation(), WireBytes.reply(1, new Out().u8(1).zigzag(5).bytes())),
                    reply.raw(), "the whole envelope has the example's layout");
        }
    }

    private static Path specPath() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path spec = dir.resolve("docs/WIRE-FORMAT.md");
            if (Files.exists(spec)) {
                return spec;
            }
        }
        throw new AssertionError("docs/WIRE-FORMAT.md not found above " + here);
    }

    /** @return the text of the first fenced block after the heading */
    private static String block(String spec, String heading) {
        Matcher matcher = Pattern.compile("(?m)^#+ " + Pattern.quote(heading) + "\\s*$").matcher(spec);
        assertTrue(matcher.find(), "a heading '" + heading + "' in the spec");
        int open = spec.indexOf("```", matcher.end());
        int body = spec.indexOf('\n', open) + 1;
        int close = spec.indexOf("\n```", body);
        return spec.substring(body, close);
    }

    /** @return the bytes of an annotated hex listing: each line's hex pairs before two spaces */
    private static String hexOf(String listing) {
        List<String> pairs = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String bytes = line.split(" {2}", 2)[0].strip();
            if (bytes.isEmpty()) {
                continue;
            }
            for (String pair : bytes.split(" ")) {
                assertTrue(pair.matches("[0-9A-F]{2}"), "'" + pair + "' in line '" + line + "'");
                pairs.add(pair);
            }
        }
        byte[] parsed = HexFormat.ofDelimiter(" ").parseHex(String.join(" ", pairs));
        return hex(parsed);
    }
}
