package io.spinoff.api.support;

import io.spinoff.api.ActorRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * How one type of value that may be {@code null} crosses the wire: a presence byte, then the value
 * (see docs/WIRE-FORMAT.md). Generated codecs hold one constant per type they write, built from
 * the constants and factories here ({@code WireCodec.listOf(WireCodec.STRING)}), and write a field
 * with one call: {@code WireCodec.STRING.write(out, m.name())}. Values of primitive types have no
 * presence byte and are written directly with {@link WireWriter} and {@link WireReader}.
 *
 * <p>Records are the one kind of value whose components only generated code knows: the codec of a
 * record is built by {@link #record} from a generated method that writes the components and one
 * that reads them; the presence byte and the nesting level are added here.
 *
 * <p><b>Threading:</b> codecs are immutable and stateless; any thread may use them. Reading throws
 * {@link io.spinoff.api.CodecException} (or a {@code RuntimeException} that the protocol's
 * definition turns into one) on malformed input, as {@link WireReader} does.
 *
 * @param <T> the type of the values
 */
public abstract class WireCodec<T> {

    /** A collection element or a map key or value is a reference type: at least its presence byte. */
    private static final int MIN_ELEMENT_BYTES = 1;

    /** A map entry is a key and a value: at least two presence bytes. */
    private static final int MIN_ENTRY_BYTES = 2 * MIN_ELEMENT_BYTES;

    /** {@code Boolean}. */
    public static final WireCodec<Boolean> BOOLEAN = scalar(WireWriter::writeBoolean, WireReader::readBoolean);
    /** {@code Byte}. */
    public static final WireCodec<Byte> BYTE = scalar(WireWriter::writeByte, WireReader::readByte);
    /** {@code Short}. */
    public static final WireCodec<Short> SHORT = scalar(WireWriter::writeShort, WireReader::readShort);
    /** {@code Character}. */
    public static final WireCodec<Character> CHARACTER = scalar(WireWriter::writeChar, WireReader::readChar);
    /** {@code Integer}. */
    public static final WireCodec<Integer> INTEGER = scalar(WireWriter::writeInt, WireReader::readInt);
    /** {@code Long}. */
    public static final WireCodec<Long> LONG = scalar(WireWriter::writeLong, WireReader::readLong);
    /** {@code Float}. */
    public static final WireCodec<Float> FLOAT = scalar(WireWriter::writeFloat, WireReader::readFloat);
    /** {@code Double}. */
    public static final WireCodec<Double> DOUBLE = scalar(WireWriter::writeDouble, WireReader::readDouble);
    /** {@code String}. */
    public static final WireCodec<String> STRING = scalar(WireWriter::writeString, WireReader::readString);
    /** {@code UUID}. */
    public static final WireCodec<UUID> UUID = scalar(WireWriter::writeUuid, WireReader::readUuid);
    /** {@code Instant}. */
    public static final WireCodec<Instant> INSTANT = scalar(WireWriter::writeInstant, WireReader::readInstant);
    /** {@code Duration}. */
    public static final WireCodec<Duration> DURATION = scalar(WireWriter::writeDuration, WireReader::readDuration);
    /** {@code BigInteger}. */
    public static final WireCodec<BigInteger> BIG_INTEGER =
            scalar(WireWriter::writeBigInteger, WireReader::readBigInteger);
    /** {@code BigDecimal}. */
    public static final WireCodec<BigDecimal> BIG_DECIMAL =
            scalar(WireWriter::writeBigDecimal, WireReader::readBigDecimal);
    /** {@code boolean[]}. */
    public static final WireCodec<boolean[]> BOOLEAN_ARRAY =
            scalar(WireWriter::writeBooleanArray, WireReader::readBooleanArray);
    /** {@code byte[]}. */
    public static final WireCodec<byte[]> BYTE_ARRAY = scalar(WireWriter::writeByteArray, WireReader::readByteArray);
    /** {@code short[]}. */
    public static final WireCodec<short[]> SHORT_ARRAY = scalar(WireWriter::writeShortArray, WireReader::readShortArray);
    /** {@code char[]}. */
    public static final WireCodec<char[]> CHAR_ARRAY = scalar(WireWriter::writeCharArray, WireReader::readCharArray);
    /** {@code int[]}. */
    public static final WireCodec<int[]> INT_ARRAY = scalar(WireWriter::writeIntArray, WireReader::readIntArray);
    /** {@code long[]}. */
    public static final WireCodec<long[]> LONG_ARRAY = scalar(WireWriter::writeLongArray, WireReader::readLongArray);
    /** {@code float[]}. */
    public static final WireCodec<float[]> FLOAT_ARRAY = scalar(WireWriter::writeFloatArray, WireReader::readFloatArray);
    /** {@code double[]}. */
    public static final WireCodec<double[]> DOUBLE_ARRAY =
            scalar(WireWriter::writeDoubleArray, WireReader::readDoubleArray);

    /** Writes the value of a present field, after its presence byte. */
    @FunctionalInterface
    public interface Writer<T> {
        /**
         * @param out where to write
         * @param value the value; never {@code null}
         */
        void write(WireWriter out, T value);
    }

    /** Reads the value of a present field, after its presence byte. */
    @FunctionalInterface
    public interface Reader<T> {
        /**
         * @param in where to read
         * @return the value
         */
        T read(WireReader in);
    }

    /** Only the factories of this class make codecs. */
    private WireCodec() {}

    /**
     * Writes a value: its presence byte, then the value when it is not {@code null}.
     *
     * @param out where to write
     * @param value the value, or {@code null}
     */
    public abstract void write(WireWriter out, T value);

    /**
     * Reads a value written by {@link #write}.
     *
     * @param in where to read
     * @return the value, or {@code null}
     */
    public abstract T read(WireReader in);

    /**
     * @param constants the enum's constants, in declaration order ({@code Color.values()})
     * @param <E> the enum
     * @return the codec of the enum: its ordinal
     */
    public static <E extends Enum<E>> WireCodec<E> enumOf(E[] constants) {
        E[] table = constants.clone();
        return scalar(WireWriter::writeEnum, in -> in.readEnum(table));
    }

    /**
     * @param protocol an {@code @ActorProtocol} interface
     * @param <P> the protocol
     * @return the codec of references to actors of that protocol: their address, read back as a
     *     working proxy
     */
    public static <P> WireCodec<P> referenceTo(Class<P> protocol) {
        Objects.requireNonNull(protocol, "protocol");
        return scalar(WireWriter::writeReference, in -> in.readReference(protocol));
    }

    /**
     * @param <R> the reference type, {@code ActorRef<CounterMessage>} say
     * @return the codec of actor references: their address, read back as a working reference
     */
    @SuppressWarnings("unchecked")
    public static <R extends ActorRef<?>> WireCodec<R> actorRef() {
        // The message type of a reference is not on the wire: the reader trusts the declared type,
        // as it does for every value the protocol declares.
        return scalar(WireWriter::writeReference, in -> (R) in.readActorRef());
    }

    /**
     * @param writer writes the components of a record, in declaration order
     * @param reader reads them and makes the record
     * @param <T> the record
     * @return the codec of the record: one nesting level
     */
    public static <T extends Record> WireCodec<T> record(Writer<T> writer, Reader<T> reader) {
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(reader, "reader");
        return new WireCodec<>() {
            @Override
            public void write(WireWriter out, T value) {
                if (out.writePresence(value)) {
                    out.enter();
                    writer.write(out, value);
                    out.exit();
                }
            }

            @Override
            public T read(WireReader in) {
                if (!in.readPresence()) {
                    return null;
                }
                in.enter();
                T value = reader.read(in);
                in.exit();
                return value;
            }
        };
    }

    /**
     * @param element the codec of the elements
     * @param <E> the element type
     * @return the codec of a list: its size, then its elements; one nesting level
     */
    public static <E> WireCodec<List<E>> listOf(WireCodec<E> element) {
        Objects.requireNonNull(element, "element");
        return new WireCodec<>() {
            @Override
            public void write(WireWriter out, List<E> value) {
                writeElements(out, value, element);
            }

            @Override
            public List<E> read(WireReader in) {
                if (!in.readPresence()) {
                    return null;
                }
                int size = in.readSize(MIN_ELEMENT_BYTES);
                in.enter();
                List<E> result = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    result.add(element.read(in));
                }
                in.exit();
                return result;
            }
        };
    }

    /**
     * @param element the codec of the elements
     * @param <E> the element type
     * @return the codec of a set: its size, then its elements in iteration order, read back into a
     *     {@code LinkedHashSet}; one nesting level
     */
    public static <E> WireCodec<Set<E>> setOf(WireCodec<E> element) {
        Objects.requireNonNull(element, "element");
        return new WireCodec<>() {
            @Override
            public void write(WireWriter out, Set<E> value) {
                writeElements(out, value, element);
            }

            @Override
            public Set<E> read(WireReader in) {
                if (!in.readPresence()) {
                    return null;
                }
                int size = in.readSize(MIN_ELEMENT_BYTES);
                in.enter();
                Set<E> result = LinkedHashSet.newLinkedHashSet(size);
                for (int i = 0; i < size; i++) {
                    result.add(element.read(in));
                }
                in.exit();
                return result;
            }
        };
    }

    /**
     * @param key the codec of the keys
     * @param value the codec of the values
     * @param <K> the key type
     * @param <V> the value type
     * @return the codec of a map: its size, then each key and its value in iteration order, read
     *     back into a {@code LinkedHashMap}; one nesting level
     */
    public static <K, V> WireCodec<Map<K, V>> mapOf(WireCodec<K> key, WireCodec<V> value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return new WireCodec<>() {
            @Override
            public void write(WireWriter out, Map<K, V> map) {
                if (out.writePresence(map)) {
                    out.enter();
                    out.writeSize(map.size());
                    for (Map.Entry<K, V> entry : map.entrySet()) {
                        key.write(out, entry.getKey());
                        value.write(out, entry.getValue());
                    }
                    out.exit();
                }
            }

            @Override
            public Map<K, V> read(WireReader in) {
                if (!in.readPresence()) {
                    return null;
                }
                int size = in.readSize(MIN_ENTRY_BYTES);
                in.enter();
                Map<K, V> result = LinkedHashMap.newLinkedHashMap(size);
                for (int i = 0; i < size; i++) {
                    K k = key.read(in);
                    V v = value.read(in);
                    result.put(k, v);
                }
                in.exit();
                return result;
            }
        };
    }

    /**
     * @param element the codec of the content
     * @param <E> the content type
     * @return the codec of an {@code Optional}: its own presence byte, then its content as a value
     *     that may be {@code null}; one nesting level
     */
    public static <E> WireCodec<Optional<E>> optionalOf(WireCodec<E> element) {
        Objects.requireNonNull(element, "element");
        return new WireCodec<>() {
            @Override
            public void write(WireWriter out, Optional<E> value) {
                if (out.writePresence(value)) {
                    out.enter();
                    element.write(out, value.orElse(null));
                    out.exit();
                }
            }

            @Override
            public Optional<E> read(WireReader in) {
                if (!in.readPresence()) {
                    return null;
                }
                in.enter();
                Optional<E> result = Optional.ofNullable(element.read(in));
                in.exit();
                return result;
            }
        };
    }

    private static <E> void writeElements(WireWriter out, java.util.Collection<E> value, WireCodec<E> element) {
        if (out.writePresence(value)) {
            out.enter();
            out.writeSize(value.size());
            for (E e : value) {
                element.write(out, e);
            }
            out.exit();
        }
    }

    /** A value written by one {@link WireWriter} method and read by one {@link WireReader} method. */
    private static <T> WireCodec<T> scalar(Writer<T> writer, Reader<T> reader) {
        return new WireCodec<>() {
            @Override
            public void write(WireWriter out, T value) {
                if (out.writePresence(value)) {
                    writer.write(out, value);
                }
            }

            @Override
            public T read(WireReader in) {
                return in.readPresence() ? reader.read(in) : null;
            }
        };
    }
}
