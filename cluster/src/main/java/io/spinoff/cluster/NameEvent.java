package io.spinoff.cluster;

import java.util.Optional;

/**
 * A change of one name of the cluster registry, given to
 * {@link Cluster#subscribe(String, java.util.function.Consumer)}.
 *
 * @param name the registered name
 * @param address the address it names now, {@code node@host:port/user/...}, or empty when the name
 *     was unregistered (by its owner, when its actor stopped, or when its owner left the cluster)
 */
public record NameEvent(String name, Optional<String> address) {}
