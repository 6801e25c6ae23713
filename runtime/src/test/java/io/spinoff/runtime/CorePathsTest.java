package io.spinoff.runtime;

import static io.spinoff.runtime.CoreTestSupport.await;
import static io.spinoff.runtime.CoreTestSupport.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import io.spinoff.api.support.ProtocolProxy;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paths, names and lookup (SPEC §3): /user/NAME, children under their parent, unique sibling names. */
class CorePathsTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void aTopLevelActorLivesAtUserName() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("corePathTop")) {
                Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
                ActorRef<?> ref = ProtocolProxy.actorRefOf(counter);
                assertEquals("/user/counter", ref.address());
                assertTrue(counter.toString().contains("/user/counter"), counter.toString());
                assertTrue(ref.toString().contains("/user/counter"), ref.toString());

                Counter unnamed = system.spawn(Counter.class, CounterActor::new);
                String generated = ProtocolProxy.actorRefOf(unnamed).address();
                assertTrue(generated.startsWith("/user/$"), generated);
                assertNotEquals(counter, unnamed);
            }
        });
    }

    @Test
    void childrenLiveUnderTheirParentsPath() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("corePathChildren")) {
                CoreNode parent = system.spawn(CoreNode.class, () -> new CoreNodeActor(new ConcurrentLinkedQueue<>()), "parent");
                assertEquals("/user/parent", await(parent.address()));

                CoreNode child = await(parent.spawnChild("child"));
                assertEquals("/user/parent/child", ProtocolProxy.actorRefOf(child).address());
                assertTrue(child.toString().contains("/user/parent/child"), child.toString());
                assertEquals("/user/parent/child", await(child.address()));

                CoreNode grandchild = await(child.spawnChild("grandchild"));
                assertEquals("/user/parent/child/grandchild", await(grandchild.address()));

                CoreNode unnamed = await(parent.spawnUnnamedChild());
                String generated = await(unnamed.address());
                assertTrue(generated.startsWith("/user/parent/$"), generated);

                CoreNode found = system.lookup(CoreNode.class, "/user/parent/child/grandchild");
                assertEquals(grandchild, found);
                assertEquals("/user/parent/child/grandchild", await(found.address()));
            }
        });
    }

    @Test
    void aDuplicateTopLevelNameIsRefusedAndFreeAgainOnceTheActorStopped() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("corePathDuplicate")) {
                Counter first = system.spawn(Counter.class, CounterActor::new, "taken");
                first.increment(41);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> system.spawn(Counter.class, CounterActor::new, "taken"));
                assertTrue(e.getMessage().contains("taken"), e.getMessage());
                assertEquals(1, system.metrics().liveActors(), "the refused spawn left no actor behind");
                first.increment(1);
                assertEquals(42, await(first.get()), "the refused spawn did not disturb the existing actor");

                await(system.stop(first));
                Counter second = system.spawn(Counter.class, CounterActor::new, "taken");
                assertEquals(0, await(second.get()), "a new actor under the freed name");
                assertEquals(first, second, "proxies follow the address");
            }
        });
    }

    @Test
    void aDuplicateChildNameIsRefused() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("corePathDuplicateChild")) {
                CoreNode parent = system.spawn(CoreNode.class, () -> new CoreNodeActor(new ConcurrentLinkedQueue<>()), "parent");
                CoreNode child = await(parent.spawnChild("twin"));
                IllegalArgumentException e = failure(IllegalArgumentException.class, parent.spawnChild("twin"), 5_000);
                assertTrue(e.getMessage().contains("twin"), e.getMessage());
                // The same name under another parent is fine.
                CoreNode other = system.spawn(CoreNode.class, () -> new CoreNodeActor(new ConcurrentLinkedQueue<>()), "other");
                assertEquals("/user/other/twin", await(await(other.spawnChild("twin")).address()));
                assertNotEquals(child, system.lookup(CoreNode.class, "/user/other/twin"));
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "$x", "a b"})
    void anInvalidNameIsRefused(String name) {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("corePathInvalid")) {
                assertThrows(IllegalArgumentException.class, () -> system.spawn(Counter.class, CounterActor::new, name));
                CoreNode parent = system.spawn(CoreNode.class, () -> new CoreNodeActor(new ConcurrentLinkedQueue<>()), "parent");
                failure(IllegalArgumentException.class, parent.spawnChild(name), 5_000);
                assertEquals(1, system.metrics().liveActors());
            }
        });
    }

    @Test
    void lookupReachesTheSameActorAndEqualsTheSpawnedProxy() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("corePathLookup")) {
                Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
                Counter found = system.lookup(Counter.class, "/user/counter");
                assertEquals(counter, found);
                assertEquals(found, counter);
                assertEquals(counter.hashCode(), found.hashCode());
                assertEquals(counter.toString(), found.toString());

                found.increment(3);
                counter.increment(4);
                assertEquals(7, await(counter.get()));
                assertEquals(7, await(found.get()));
            }
        });
    }
}
