package io.spinoff.processor.internal.model;

/**
 * One parameter of a protocol method: a component of its message record.
 *
 * @param name the parameter name, which is the record component name
 * @param type how it crosses the wire (its Java type is {@code type.typeName()})
 */
public record ParameterModel(String name, WireType type) {}
