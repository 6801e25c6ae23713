package io.spinoff.processor.internal.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;

/** The eight primitive types, with the names of the wire methods that carry them. */
public enum PrimitiveKind {
    BOOLEAN(TypeName.BOOLEAN, "Boolean", 1),
    BYTE(TypeName.BYTE, "Byte", 1),
    SHORT(TypeName.SHORT, "Short", 1),
    CHAR(TypeName.CHAR, "Char", 1),
    INT(TypeName.INT, "Int", 1),
    LONG(TypeName.LONG, "Long", 1),
    FLOAT(TypeName.FLOAT, "Float", 4),
    DOUBLE(TypeName.DOUBLE, "Double", 8);

    private final TypeName primitive;
    private final String wireSuffix;
    private final int minBytes;

    PrimitiveKind(TypeName primitive, String wireSuffix, int minBytes) {
        this.primitive = primitive;
        this.wireSuffix = wireSuffix;
        this.minBytes = minBytes;
    }

    /** @return the primitive type */
    public TypeName primitive() {
        return primitive;
    }

    /** @return the box type */
    public ClassName boxed() {
        return (ClassName) primitive.box();
    }

    /** @return the suffix of the WireWriter/WireReader methods: {@code Int} for writeInt/readInt */
    public String wireSuffix() {
        return wireSuffix;
    }

    /** @return the fewest bytes one value takes on the wire */
    public int minBytes() {
        return minBytes;
    }
}
