package io.spinoff.runtime.internal.remote;

import static io.spinoff.runtime.internal.remote.TransportTestSupport.node;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reference cache stays bounded and keeps the references in use, however many addresses pass. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RefCacheTest {

    @Test
    void referencesInUseStayCachedPastTheCapacityAndTheCacheStaysBounded() {
        try (ActorSystem alpha = node("alpha")) {
            RemoteTransport transport = transport(alpha);
            String node = "beta@127.0.0.1:7999";
            ActorRef<Object> inUse = transport.resolveRef(node + "/user/reply-to");
            for (int i = 0; i < 5 * RemoteTransport.MAX_CACHED_REFS; i++) {
                transport.resolveRef(node + "/user/once-" + i);
                if (i % 100 == 0) {
                    assertSame(inUse, transport.resolveRef(node + "/user/reply-to"), "a reference in use was dropped");
                }
                assertTrue(transport.refs.size() <= RemoteTransport.MAX_CACHED_REFS, "the cache holds " + transport.refs.size());
            }
            // An address first seen after many others is kept too.
            ActorRef<Object> late = transport.resolveRef(node + "/user/late");
            assertSame(late, transport.resolveRef(node + "/user/late"));
            assertSame(transport.remoteRef(node, "/user/late"), late);
        }
    }
}
