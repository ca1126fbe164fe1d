package org.counterweight.dl4j;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kryo serializer for ND4J arrays: a dense array as a header and its raw bytes in little-endian
 * order, instead of ND4J 1.0.0-M2's {@link Nd4jSerializer}, which writes and reads arrays one
 * element at a time through a {@code DataOutputStream} and throws on empty arrays.
 *
 * <p>Why: every averaging round of the Spark trainer broadcasts the parameters and updater state
 * and every worker sends its copy back; ND4J's stream was a visible share of a round for networks
 * with ~10⁵ parameters (BENCHMARKS.md, "Training"). Arrays of types other than the numeric ones,
 * compressed arrays and big-endian machines keep ND4J's format; empty arrays are written as type
 * and shape. Registered by {@code org.counterweight.spark.KryoRegistrator}.
 */
public final class BulkArraySerializer extends Serializer<INDArray> {
    private static final int CHUNK = 1 << 16;
    private static final byte BULK = 1;
    private static final byte ND4J = 0;
    private static final byte EMPTY = 2;
    private final Nd4jSerializer nd4j = new Nd4jSerializer();

    @Override
    public void write(Kryo kryo, Output out, INDArray arr) {
        if (arr.isEmpty()) {
            out.writeByte(EMPTY);
            writeHeader(out, arr);
            return;
        }
        if (!bulkCapable(arr)) {
            out.writeByte(ND4J);
            nd4j.write(kryo, out, arr);
            return;
        }
        INDArray dense = arr.isView() || arr.offset() != 0 || arr.data().length() != arr.length()
                ? arr.dup(arr.ordering()) : arr;
        out.writeByte(BULK);
        writeHeader(out, dense);
        inChunks(dense, (bytes, chunk, len) -> {
            bytes.get(chunk, 0, len);
            out.writeBytes(chunk, 0, len);
        });
    }

    @Override
    public INDArray read(Kryo kryo, Input in, Class<INDArray> type) {
        byte format = in.readByte();
        if (format == ND4J) {
            return nd4j.read(kryo, in, type);
        }
        DataType dtype = DataType.valueOf(in.readString());
        char order = (char) in.readByte();
        long[] shape = new long[in.readInt(true)];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = in.readLong(true);
        }
        if (format == EMPTY) {
            return shape.length == 0 ? Nd4j.empty(dtype) : Nd4j.create(dtype, shape);
        }
        INDArray arr = Nd4j.createUninitialized(dtype, shape, order);
        inChunks(arr, (bytes, chunk, len) -> {
            in.readBytes(chunk, 0, len);
            bytes.put(chunk, 0, len);
        });
        return arr;
    }

    /** One step of {@link #inChunks}: moves {@code len} bytes between the buffer and the chunk. */
    private interface ChunkStep {
        void copy(ByteBuffer bytes, byte[] chunk, int len);
    }

    /** Walks a dense array's raw bytes from the start through one heap chunk of at most 64 KiB. */
    private static void inChunks(INDArray arr, ChunkStep step) {
        ByteBuffer bytes = arr.data().asNio();
        bytes.position(0);
        long n = arr.length() * arr.dataType().width();
        byte[] chunk = new byte[(int) Math.min(CHUNK, n)];
        for (long done = 0; done < n; done += chunk.length) {
            step.copy(bytes, chunk, (int) Math.min(chunk.length, n - done));
        }
    }

    private static void writeHeader(Output out, INDArray arr) {
        out.writeString(arr.dataType().name());
        out.writeByte(arr.ordering());
        long[] shape = arr.shape();
        out.writeInt(shape.length, true);
        for (long d : shape) {
            out.writeLong(d, true);
        }
    }

    private static boolean bulkCapable(INDArray arr) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN || arr.isCompressed()) {
            return false;
        }
        DataType t = arr.dataType();
        return t.isNumerical() || t == DataType.BOOL;
    }
}
