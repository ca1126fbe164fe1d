package org.counterweight.resample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.SparkTestSupport;
import org.counterweight.data.CategoricalFeatures;

/** The shared test session with a job counter, plus the resample tests' data builders and fixtures. */
public final class SparkForTests {
    private static final AtomicInteger JOBS = new AtomicInteger();
    private static SparkSession counted;

    private SparkForTests() {
    }

    /** The shared local[2] session ({@link SparkTestSupport}), with a job counter attached. */
    public static synchronized SparkSession get() {
        return counting(SparkTestSupport.spark());
    }

    /** Replaces the shared session by one with {@code master} (tests of partition independence). */
    static synchronized SparkSession restart(String master) {
        return counting(SparkTestSupport.restart(master));
    }

    private static SparkSession counting(SparkSession s) {
        if (s != counted) {
            s.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onJobStart(SparkListenerJobStart jobStart) {
                    JOBS.incrementAndGet();
                }
            });
            counted = s;
        }
        return s;
    }

    /** Jobs started so far (schema checks must run none). */
    static int jobsStarted() {
        return JOBS.get();
    }

    /** Schema of the test frames: row_id, label (double), features, plus two extra columns. */
    static StructType schema(boolean extras) {
        StructType s = new StructType()
                .add("row_id", DataTypes.LongType, false)
                .add("label", DataTypes.DoubleType, false)
                .add("features", SQLDataTypes.VectorType(), false);
        return extras ? s.add("note", DataTypes.StringType, true).add("weight", DataTypes.DoubleType, false) : s;
    }

    /**
     * Gaussian blobs: class c has sizes[c] rows around a centre c·2 on every axis, rows
     * interleaved by class (row ids are positions), with extra columns {@code note}, {@code weight}.
     */
    static Dataset<Row> blobs(int[] sizes, int d, long seed) {
        Random rnd = new Random(seed);
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < sizes.length; c++) {
            for (int i = 0; i < sizes[c]; i++) {
                labels.add(c);
            }
        }
        java.util.Collections.shuffle(labels, rnd);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            int c = labels.get(i);
            double[] x = new double[d];
            for (int t = 0; t < d; t++) {
                x[t] = 2.0 * c + rnd.nextGaussian();
            }
            rows.add(RowFactory.create((long) i, (double) c, Vectors.dense(x), "row " + i, rnd.nextDouble()));
        }
        return get().createDataFrame(rows, schema(true));
    }

    /**
     * {@code data} (features of {@code d} entries) with a categorical entry appended at position
     * d, category {@code row_id * 7 mod levels}, declared on the features column.
     */
    static Dataset<Row> withCategory(Dataset<Row> data, int d, int levels) {
        Dataset<Row> wider = get().createDataFrame(data.javaRDD().map(r -> {
            Object[] v = new Object[r.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.get(i);
            }
            double[] x = Arrays.copyOf(((Vector) r.get(2)).toArray(), d + 1);
            x[d] = r.getLong(0) * 7 % levels;
            v[2] = Vectors.dense(x);
            return RowFactory.create(v);
        }), data.schema());
        return CategoricalFeatures.at(d).declare(wider, "features", d + 1);
    }

    /** A CSV fixture {@code row_id,label,f0,f1,...} from {@code /resample/}. */
    static Dataset<Row> csv(String name) {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = SparkForTests.class.getResourceAsStream("/resample/" + name);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                String[] p = line.split(",");
                double[] x = new double[p.length - 2];
                for (int i = 0; i < x.length; i++) {
                    x[i] = Double.parseDouble(p[i + 2]);
                }
                rows.add(RowFactory.create(Long.parseLong(p[0]), Double.parseDouble(p[1]), Vectors.dense(x)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return get().createDataFrame(rows, schema(false));
    }

    /** A JSON fixture from {@code /resample/}. */
    static JsonNode json(String name) {
        try (InputStream in = SparkForTests.class.getResourceAsStream("/resample/" + name)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows by row id (for order-independent comparison). */
    static TreeMap<Long, Row> byId(Dataset<Row> data) {
        TreeMap<Long, Row> out = new TreeMap<>();
        for (Row r : data.collectAsList()) {
            Row prev = out.put(r.getLong(r.fieldIndex("row_id")), r);
            if (prev != null) {
                throw new AssertionError("duplicate row_id " + r.getLong(r.fieldIndex("row_id")));
            }
        }
        return out;
    }

    /** Rows per class. */
    static TreeMap<Integer, Long> counts(Dataset<Row> data) {
        TreeMap<Integer, Long> out = new TreeMap<>();
        for (Row r : data.select("label").collectAsList()) {
            out.merge((int) r.getDouble(0), 1L, Long::sum);
        }
        return out;
    }

    /** Rows sorted by id, as strings (compare whole outputs). */
    static List<String> canonical(Dataset<Row> data) {
        List<String> out = new ArrayList<>();
        byId(data).values().forEach(r -> out.add(r.toString()));
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
