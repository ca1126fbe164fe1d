package org.counterweight.resample;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.counterweight.resample.knn.KnnSearch;
import org.counterweight.resample.knn.NeighbourOrder;

/**
 * A resampler built on exact neighbour search ({@link KnnSearch}): adds the search's resource
 * params. {@code broadcastBudgetBytes} decides whether the reference side is broadcast or
 * searched block pair by block pair; {@code blockRows} bounds the memory of a task.
 */
public abstract class KnnResampler extends Resampler {
    private static final long serialVersionUID = 1L;

    private final LongParam broadcastBudgetBytes;
    private final IntParam blockRows;

    protected KnnResampler(String name, SamplerKind kind, String uid) {
        super(name, kind, uid);
        broadcastBudgetBytes = new LongParam(this, "broadcastBudgetBytes",
                "largest reference side (8 bytes x rows x features) broadcast to every task; larger ones are"
                        + " searched block pair by block pair", ParamValidators.gtEq(0));
        blockRows = new IntParam(this, "blockRows",
                "rows per distance block (a task holds about 8 x blockRows^2 bytes of distances)",
                ParamValidators.gtEq(1));
        setDefault(broadcastBudgetBytes, 256L << 20);
        setDefault(blockRows, 1024);
    }

    /** A search with this stage's resources. */
    protected KnnSearch search(int k, NeighbourOrder order, boolean excludeSelf, boolean keepVectors) {
        return new KnnSearch(k, order, excludeSelf, keepVectors, getBroadcastBudgetBytes(), getBlockRows());
    }

    /** (row id, features) of {@code rows}, the input shape {@link KnnSearch} expects. */
    protected Dataset<Row> idAndFeatures(Dataset<Row> rows) {
        return rows.select(functions.col(getRowIdCol()), functions.col(getFeaturesCol()));
    }

    /** Vector length of the data (reads one row). */
    protected int dimension(Dataset<Row> data) {
        Row first = data.select(getFeaturesCol()).first();
        return ((org.apache.spark.ml.linalg.Vector) first.get(0)).size();
    }

    public LongParam broadcastBudgetBytes() {
        return broadcastBudgetBytes;
    }

    public IntParam blockRows() {
        return blockRows;
    }

    public long getBroadcastBudgetBytes() {
        return (Long) $(broadcastBudgetBytes);
    }

    public int getBlockRows() {
        return (Integer) $(blockRows);
    }

    public KnnResampler setBroadcastBudgetBytes(long v) {
        set(broadcastBudgetBytes, v);
        return this;
    }

    public KnnResampler setBlockRows(int v) {
        set(blockRows, v);
        return this;
    }
}
