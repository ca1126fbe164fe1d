package org.counterweight.resample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.CategoricalFeatures;
import org.counterweight.data.DataException;
import org.counterweight.resample.knn.NeighbourOrder;
import org.counterweight.resample.knn.NeighbourRows;
import org.counterweight.resample.knn.NeighbourSearch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code smote-nc}: SMOTE for nominal and continuous features (Chawla et al., JAIR 2002, §6.1;
 * METHODS.md §1), as imbalanced-learn ≥ 0.12's {@code SMOTENC} (docs/resampling.md says how it
 * differs from the 0.10 installed here). The categorical entries of the features vector hold
 * category indices 0..L−1 ({@link CategoricalFeatures}); they are the {@code categoricalFeatures}
 * param when set, else the ones the features column declares.
 *
 * <p>For each targeted class c: m_c = the median, over the continuous entries, of their
 * standard deviation within class c (population, ddof 0, as numpy's); the distance is
 * Euclidean on the continuous entries plus m_c² per categorical mismatch under the square root
 * ({@link MixedEncoding}); neighbours, base rows and gaps are drawn exactly as {@link Smote}'s;
 * the continuous entries are interpolated, the categorical ones set to the most frequent category
 * among the base row's k neighbours, ties broken uniformly at random ({@link CategoryVote}).
 */
public class SmoteNc extends Smote {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SmoteNc.class);

    private final IntArrayParam categoricalFeatures;

    public SmoteNc() {
        this(null);
    }

    public SmoteNc(String uid) {
        super("smote-nc", uid);
        categoricalFeatures = new IntArrayParam(this, "categoricalFeatures",
                "positions (0-based) of the categorical entries of the features vector, which hold category indices"
                        + " 0..L-1; default: those the features column declares (CategoricalFeatures)",
                validator(p -> {
                    CategoricalFeatures.at(p);
                    return p.length > 0;
                }));
    }

    @Override
    protected boolean acceptsCategorical() {
        return true;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        StructType out = super.transformSchema(schema);
        categorical(schema);
        return out;
    }

    /**
     * The categorical features of a frame with {@code schema}: the param when set, else the
     * features column's declaration; an error when there are none.
     */
    public CategoricalFeatures categorical(StructType schema) {
        if (isSet(categoricalFeatures)) {
            return CategoricalFeatures.at(getCategoricalFeatures());
        }
        CategoricalFeatures declared = CategoricalFeatures.of(schema.apply(getFeaturesCol()));
        if (declared.isEmpty()) {
            throw new DataException("smote-nc: no categorical features: set categoricalFeatures (spec key"
                    + " categorical_features, --categorical on the command line) or declare them on column '"
                    + getFeaturesCol() + "'; without categorical features use smote");
        }
        return declared;
    }

    @Override
    Map<Integer, NeighbourSearch> classSearches(Dataset<Row> data, Set<Integer> classes, int k, int d) {
        Map<Integer, NeighbourSearch> out = new TreeMap<>();
        encodings(data, classes, d).forEach((c, e) -> out.put(c,
                new MixedSearch(search("class " + className(c), k, NeighbourOrder.NEAREST, true, false), e)));
        return out;
    }

    @Override
    Interpolation interpolation(Dataset<Row> data) {
        return new Interpolation(this, new CategoryVote(categorical(data.schema()).positions(), getSeed()));
    }

    /**
     * Each class's encoding (one Spark job for all of them): its median standard deviation and
     * the levels its categorical entries use; fails on a categorical entry that is not a
     * category index (or exceeds the declared levels) or a non-finite continuous entry.
     */
    private Map<Integer, MixedEncoding> encodings(Dataset<Row> data, Set<Integer> classes, int d) {
        CategoricalFeatures cats = categorical(data.schema());
        cats.requireWithin(d, "smote-nc categoricalFeatures");
        int[] cat = cats.positions();
        int[] declaredLevels = cats.levels();
        int[] cont = IntStream.range(0, d).filter(t -> Arrays.binarySearch(cat, t) < 0).toArray();
        if (cont.length == 0) {
            throw new DataException("smote-nc: all " + d + " features are categorical; SMOTE-NC needs at least one"
                    + " continuous feature (imbalanced-learn refuses this too)");
        }
        Column x = org.apache.spark.ml.functions.vector_to_array(functions.col(getFeaturesCol()), "float64");
        List<Column> aggs = new ArrayList<>();
        for (int t : cont) {
            aggs.add(functions.var_pop(x.getItem(t)));
        }
        for (int p : cat) {
            aggs.add(functions.min(x.getItem(p)));
            aggs.add(functions.max(x.getItem(p)));
            // NaN, infinities and fractions all leave a non-zero remainder.
            aggs.add(functions.sum(functions.when(x.getItem(p).mod(1).notEqual(0), 1).otherwise(0)));
        }
        List<Row> rows = data.filter(functions.col(getLabelCol()).isin(classes.toArray()))
                .groupBy(functions.col(getLabelCol()))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
                .collectAsList();
        Map<Integer, MixedEncoding> out = new TreeMap<>();
        for (Row r : rows) {
            int c = ((Number) r.get(0)).intValue();
            double[] stds = new double[cont.length];
            for (int t = 0; t < cont.length; t++) {
                stds[t] = Math.sqrt(r.getDouble(1 + t));
                if (!Double.isFinite(stds[t])) {
                    throw new DataException("smote-nc: continuous feature " + cont[t] + " has a missing or infinite"
                            + " value in class " + className(c) + "; impute missing values first");
                }
            }
            int[] levels = new int[cat.length];
            for (int j = 0, at = 1 + cont.length; j < cat.length; j++, at += 3) {
                double min = r.getDouble(at);
                double max = r.getDouble(at + 1);
                if (r.getLong(at + 2) > 0 || min < 0 || (declaredLevels[j] > 0 && max >= declaredLevels[j])
                        || max >= Integer.MAX_VALUE) {
                    throw new DataException("smote-nc: categorical feature " + cat[j] + " holds values other than"
                            + " category indices 0" + (declaredLevels[j] > 0 ? " to " + (declaredLevels[j] - 1) : ", 1, ...")
                            + " in class " + className(c) + " (min " + min + ", max " + max + ")");
                }
                levels[j] = (int) max + 1;
            }
            double median = median(stds);
            MixedEncoding e = new MixedEncoding(cont, cat, levels, median);
            LOG.info("smote-nc class {}: median std {} over {} continuous features; categorical features {} -> {} dimensions",
                    className(c), median, cont.length, cats, e.dim());
            out.put(c, e);
        }
        return out;
    }

    /** numpy's median: the middle value, or the mean of the two middle ones. */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Each targeted class's median standard deviation m_c (the resolved strategy's classes that change). */
    SortedMap<Integer, Double> medianStds(Dataset<Row> data) {
        SortedMap<Integer, Double> out = new TreeMap<>();
        SortedMap<Integer, Long> targets = changing(ClassStats.of(data, getLabelCol(), getRowIdCol()), targets(data));
        int d = dimension(data);
        encodings(data, targets.keySet(), d).forEach((c, e) -> out.put(c, e.medianStd()));
        return out;
    }

    /** (row id, neighbour ids best first) of every row of the targeted classes, under SMOTE-NC's distance. */
    Dataset<Row> neighbours(Dataset<Row> data) {
        transformSchema(data.schema());
        SortedMap<Integer, Long> targets = changing(ClassStats.of(data, getLabelCol(), getRowIdCol()), targets(data));
        int d = dimension(data);
        Dataset<Row> out = null;
        for (Map.Entry<Integer, NeighbourSearch> e : classSearches(data, targets.keySet(), getKNeighbors(), d).entrySet()) {
            Dataset<Row> rows = idAndFeatures(data.filter(isClass(e.getKey())));
            long n = rows.count();
            Dataset<Row> nn = e.getValue().search(rows, rows, n, n, d)
                    .select(NeighbourRows.ID, NeighbourRows.NEIGHBOUR_IDS);
            out = out == null ? nn : out.union(nn);
        }
        return out;
    }

    public IntArrayParam categoricalFeatures() {
        return categoricalFeatures;
    }

    public int[] getCategoricalFeatures() {
        return $(categoricalFeatures);
    }

    public SmoteNc setCategoricalFeatures(int... v) {
        set(categoricalFeatures, v);
        return this;
    }
}
