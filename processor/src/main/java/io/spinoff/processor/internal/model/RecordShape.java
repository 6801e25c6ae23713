package io.spinoff.processor.internal.model;

import com.palantir.javapoet.TypeName;
import java.util.List;

/**
 * A record type used by a protocol, as the codec writes it.
 *
 * @param key the record's identity in the protocol's record table (its full type, with arguments)
 * @param type the record type
 * @param components its components in declaration order
 */
public record RecordShape(String key, TypeName type, List<Component> components) {

    /** Copies the components. */
    public RecordShape {
        components = List.copyOf(components);
    }

    /**
     * One record component.
     *
     * @param name the component (and accessor) name
     * @param type how it crosses the wire
     */
    public record Component(String name, WireType type) {}

    /** @return the canonical text of the shape, for the fingerprint */
    public String signature() {
        StringBuilder text = new StringBuilder("record ").append(key).append('(');
        for (int i = 0; i < components.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(components.get(i).name()).append(':').append(components.get(i).type().signature());
        }
        return text.append(')').toString();
    }
}
