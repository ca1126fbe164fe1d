package org.counterweight.spark;

import com.esotericsoftware.kryo.Kryo;
import org.counterweight.dl4j.BulkArraySerializer;
import org.nd4j.kryo.Nd4jRegistrator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spark's Kryo registrator for Counterweight ({@code spark.kryo.registrator}): ND4J's own
 * registrations ({@link Nd4jRegistrator}), with ND4J arrays written as one block of raw bytes
 * ({@link BulkArraySerializer}) instead of ND4J's element-by-element stream. Its name is
 * configuration ({@code conf/spark-defaults.conf}, {@link SparkSessions}), so it stays here while
 * the DL4J-version-specific serializer lives in {@code org.counterweight.dl4j}.
 */
public final class KryoRegistrator implements org.apache.spark.serializer.KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        new Nd4jRegistrator().registerClasses(kryo);
        kryo.register(Nd4j.getBackend().getNDArrayClass(), new BulkArraySerializer());
    }
}
