package org.counterweight.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.reflect.ClassTag$;

class KryoRegistratorTest {
    private final SerializerInstance kryo = new KryoSerializer(new SparkConf()
            .set("spark.kryo.registrator", KryoRegistrator.class.getName())).newInstance();

    private Object roundTrip(Object o) {
        ByteBuffer bytes = kryo.serialize(o, ClassTag$.MODULE$.AnyRef());
        return kryo.deserialize(bytes, ClassTag$.MODULE$.AnyRef());
    }

    private void assertSameArray(INDArray expected, INDArray actual) {
        assertEquals(expected.dataType(), actual.dataType());
        assertArrayEquals(expected.shape(), actual.shape());
        assertEquals(expected, actual);
    }

    @Test
    void numericArraysOfEveryLayoutSurvive() {
        Nd4j.getRandom().setSeed(7);
        INDArray f = Nd4j.rand(DataType.FLOAT, 70, 1000); // 70,000 elements: several 64 KiB chunks
        INDArray d = Nd4j.rand(DataType.DOUBLE, 3, 4, 5);
        INDArray fortran = Nd4j.rand(DataType.FLOAT, 'f', 6, 7);
        INDArray view = f.get(NDArrayIndex.interval(10, 20), NDArrayIndex.interval(3, 9)); // offset + strides
        INDArray row = f.getRow(5);
        INDArray ints = Nd4j.createFromArray(1, -2, 3, Integer.MAX_VALUE);
        INDArray longs = Nd4j.createFromArray(5L, Long.MIN_VALUE);
        INDArray scalar = Nd4j.scalar(2.5f);
        for (INDArray a : new INDArray[] {f, d, fortran, view, row, ints, longs, scalar}) {
            INDArray back = (INDArray) roundTrip(a);
            assertSameArray(a, back);
        }
        assertEquals('f', ((INDArray) roundTrip(fortran)).ordering());
    }

    @Test
    void emptyArraysAndObjectsHoldingArraysSurvive() {
        INDArray empty = (INDArray) roundTrip(Nd4j.empty(DataType.FLOAT));
        assertEquals(true, empty.isEmpty());
        assertEquals(DataType.FLOAT, empty.dataType());
        INDArray noRows = (INDArray) roundTrip(Nd4j.create(DataType.DOUBLE, 0, 3));
        assertEquals(true, noRows.isEmpty());
        assertArrayEquals(new long[] {0, 3}, noRows.shape());
        DataSet ds = new DataSet(Nd4j.rand(DataType.FLOAT, 4, 3), Nd4j.eye(4).castTo(DataType.FLOAT));
        DataSet back = (DataSet) roundTrip(ds);
        assertSameArray(ds.getFeatures(), back.getFeatures());
        assertSameArray(ds.getLabels(), back.getLabels());
    }
}
