package org.counterweight.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.data.CategoricalFeatures;
import org.counterweight.data.ClassCounts;
import org.counterweight.data.Columns;
import org.counterweight.data.DataException;
import org.counterweight.data.DataWriter;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.Output;
import org.counterweight.data.OutputKind;
import org.counterweight.resample.KnnResampler;
import org.counterweight.resample.ResampleMethod;
import org.counterweight.resample.Resampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code resample}: one static resampler (METHODS.md §1) over a dataset, written atomically.
 * NearMiss's {@code version} is {@code --nearmiss-version}: {@code -V/--version} prints the
 * program's version here as on every command.
 */
@Command(name = "resample", mixinStandardHelpOptions = true,
        description = {"Resample a dataset with a static resampler (--method; imbalanced-learn 0.10 semantics).",
            "The result depends only on --seed and the input rows, not on partitioning.",
            "A .csv output holds the features and label; a Parquet output also keeps row_id, extra columns and 'synthetic'."})
public final class ResampleCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    InputOptions input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH",
            description = "Output: a .csv file, or a Parquet directory; written atomically, replacing only an earlier dataset output (see --overwrite).")
    String output;

    @Mixin
    OverwriteOption overwrite;

    @Option(names = "--method", required = true, paramLabel = "METHOD",
            description = "random-over, random-under, smote, smote-nc, nearmiss, adasyn, borderline-smote, tomek-links, enn, smote-tomek or smote-enn.")
    String method;

    @Option(names = "--sampling-strategy", defaultValue = "auto", paramLabel = "STRATEGY",
            description = {"auto, minority, majority, not-minority, not-majority, all, a float in (0, 1] (binary data)",
                "or final counts per class as label:count,... with the original label values;",
                "cleaners (tomek-links, enn) take the classes to clean as [label,...] (default: ${DEFAULT-VALUE})."})
    String samplingStrategy;

    @Option(names = "--seed", paramLabel = "N") // default and help: CommonSettings.SEED
    long seed;

    @Option(names = "--k-neighbors", paramLabel = "K", description = "smote, smote-nc, borderline-smote: neighbours to interpolate towards (default 5).")
    Integer kNeighbors;

    @Option(names = "--categorical", paramLabel = "COL[,COL...]", split = ",",
            description = {"smote-nc: the categorical feature columns, by name (as train's --categorical) or by 0-based",
                "position in the feature vector, e.g. workclass,race or 3,4; they must hold integer category codes",
                "0..L-1 (default: the positions the input declares)."})
    List<String> categorical;

    @Option(names = "--nearmiss-version", paramLabel = "1|2|3", description = "nearmiss: version (default 1).")
    Integer version;

    @Option(names = "--n-neighbors", paramLabel = "N",
            description = "nearmiss: minority neighbours per score (default 3); enn, smote-enn: neighbours that judge a row (default 3); adasyn: neighbours (default 5).")
    Integer nNeighbors;

    @Option(names = "--n-neighbors-ver3", paramLabel = "N",
            description = "nearmiss version 3: short-listed rows per minority row (default 3).")
    Integer nNeighborsVer3;

    @Option(names = "--kind-sel", paramLabel = "all|mode",
            description = "enn, smote-enn: keep a row only if all its neighbours (all) or most of them (mode) share its class (default all).")
    String kindSel;

    @Option(names = "--kind", paramLabel = "1|2", description = "borderline-smote: borderline-SMOTE 1 or 2 (default 1).")
    Integer kind;

    @Option(names = "--m-neighbors", paramLabel = "M",
            description = "borderline-smote: neighbours (any class) deciding whether a row is in danger (default 10).")
    Integer mNeighbors;

    @Option(names = "--knn", paramLabel = "exact|approx|auto",
            description = {"every neighbour-based method: neighbour search: exact, approx (k-means tree, cost about n log n)",
                "or auto: exact up to --knn-exact-max-pairs query x reference pairs (default auto; docs/resampling.md)."})
    String knn;

    @Option(names = "--knn-candidates", paramLabel = "N",
            description = "approx: reference rows compared exactly per query, the accuracy knob (default "
                    + KnnResampler.DEFAULT_CANDIDATES + ").")
    Integer knnCandidates;

    @Option(names = "--knn-exact-max-pairs", paramLabel = "N",
            description = "auto: largest number of query x reference pairs searched exactly (default 10000000000).")
    Long knnExactMaxPairs;

    @Override
    public Integer call() {
        ResampleMethod m = ResampleMethod.parse(method);
        Resampler resampler = m.create().setParam("samplingStrategy", samplingStrategy).setParam("seed", Long.toString(seed));
        Map<String, Object> specific = new LinkedHashMap<>();
        specific.put("--k-neighbors=kNeighbors", kNeighbors);
        specific.put("--nearmiss-version=version", version);
        specific.put("--n-neighbors=nNeighbors", nNeighbors);
        specific.put("--n-neighbors-ver3=nNeighborsVer3", nNeighborsVer3);
        specific.put("--kind-sel=kindSel", kindSel);
        specific.put("--kind=kind", kind);
        specific.put("--m-neighbors=mNeighbors", mNeighbors);
        specific.put("--knn=knn", knn);
        specific.put("--knn-candidates=knnCandidates", knnCandidates);
        specific.put("--knn-exact-max-pairs=knnExactMaxPairs", knnExactMaxPairs);
        specific.forEach((option, value) -> {
            if (value != null) {
                String[] names = option.split("=");
                if (!resampler.hasParam(names[1])) {
                    throw new IllegalArgumentException(names[0] + " does not apply to --method " + m.cliName());
                }
                resampler.setParam(names[1], value.toString());
            }
        });
        SparkSession spark = common.spark("resample");
        Output out = overwrite.output(spark, output, OutputKind.DATASET, input.input);
        LabeledFrame data = input.read(spark);
        // Declared on the frame, where every resampler sees it (smote-nc uses it, the samplers
        // that cannot handle categorical features refuse it).
        CategoricalFeatures declared = categorical == null ? null : categoricalAt(categorical, data);
        // The resampler reads its input several times (counts, searches, joins): read the file once.
        Dataset<Row> frame = declared == null ? data.frame() : declared.declare(data.frame(), Columns.FEATURES, data.numFeatures());
        Dataset<Row> rows = frame.persist(StorageLevel.MEMORY_AND_DISK());
        resampler.setLabelIndex(data.labels());
        System.out.println("input:  " + ClassCounts.describe(data.withFrame(rows).classCounts(), data.labels()));
        // Persisted so that counting the written rows does not resample again.
        LabeledFrame resampled = data.withFrame(resampler.resample(rows).persist(StorageLevel.MEMORY_AND_DISK()));
        DataWriter.write(resampled, out);
        System.out.println("output: " + ClassCounts.describe(resampled.classCounts(), data.labels()));
        System.out.println("wrote " + output);
        return 0;
    }

    /** The positions {@code columns} name: feature names, or 0-based positions when all are numbers. */
    private static CategoricalFeatures categoricalAt(List<String> columns, LabeledFrame data) {
        if (columns.stream().allMatch(c -> c.strip().matches("\\d+"))) {
            return CategoricalFeatures.parse(String.join(",", columns));
        }
        int[] positions = new int[columns.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = data.featureNames().indexOf(columns.get(i).strip());
            if (positions[i] < 0) {
                throw new DataException(data.source() + ": --categorical column '" + columns.get(i).strip()
                        + "' is not a feature column; features: " + String.join(", ", data.featureNames()));
            }
        }
        return CategoricalFeatures.at(positions);
    }
}
