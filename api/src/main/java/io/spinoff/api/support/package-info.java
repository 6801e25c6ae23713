/**
 * Support for generated code: the contract between the classes the Spinoff processor generates and
 * a runtime that hosts them. User code does not need these types; generated code uses nothing
 * else from Spinoff but this package and {@link io.spinoff.api}.
 *
 * <p>{@link io.spinoff.api.support.ProtocolDefinition} is what a runtime needs of a protocol;
 * {@link io.spinoff.api.support.WireWriter} and {@link io.spinoff.api.support.WireReader} are the
 * binary format; {@link io.spinoff.api.support.ProtocolProxy} is the base of every typed proxy.
 */
package io.spinoff.api.support;
