package org.counterweight.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.AtomicOutput;
import org.counterweight.data.ClassCounts;
import org.counterweight.data.DataWriter;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.Output;
import org.counterweight.data.OutputKind;
import org.counterweight.split.StratifiedSplitter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code split}: stratified holdout split or stratified k folds, written atomically as one directory. */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = {"Stratified split into D/train, D/validation, D/test, or k folds D/fold-<i>/{train,test} (i = 1..k).",
            "The split depends only on --seed and the row order of the input, not on partitioning."})
public final class SplitCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    InputOptions input;

    @Option(names = {"-o", "--output", "--output-dir"}, required = true, paramLabel = "DIR",
            description = "Output directory, written atomically; it must not exist, be empty or hold an earlier split (see --overwrite).")
    String outputDir;

    @Mixin
    OverwriteOption overwrite;

    @Option(names = "--test-fraction", defaultValue = "0.2", description = "Test fraction per class (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--validation-fraction", defaultValue = "0", description = "Validation fraction per class (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--folds", defaultValue = "0", description = "Number of stratified folds instead of a holdout split (>= 2).")
    int folds;

    @Option(names = "--seed", paramLabel = "N") // default and help: CommonSettings.SEED
    long seed;

    @Option(names = "--format", defaultValue = "parquet", description = "Output format: csv or parquet (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("csv") && !format.equals("parquet")) {
            throw new IllegalArgumentException("--format must be csv or parquet, got '" + format + "'");
        }
        if (folds > 0) {
            StratifiedSplitter.validateFolds(folds);
        } else {
            StratifiedSplitter.validateHoldout(testFraction, validationFraction);
        }
        SparkSession spark = common.spark("split");
        Output out = overwrite.output(spark, outputDir, OutputKind.SPLIT, input.input);
        LabeledFrame data = input.read(spark);
        boolean csv = format.equals("csv");
        String ext = csv ? ".csv" : "";
        StratifiedSplitter splitter = new StratifiedSplitter(seed);
        if (folds > 0) {
            List<StratifiedSplitter.Fold> parts = splitter.kfold(data, folds);
            AtomicOutput.write(spark.sparkContext().hadoopConfiguration(), out, tmp -> {
                for (StratifiedSplitter.Fold f : parts) {
                    Path dir = new Path(tmp, "fold-" + (f.index() + 1));
                    DataWriter.writeTo(f.train(), new Path(dir, "train" + ext), csv);
                    DataWriter.writeTo(f.test(), new Path(dir, "test" + ext), csv);
                    System.out.println("fold-" + (f.index() + 1) + " test: " + ClassCounts.describe(f.test().classCounts(), data.labels()));
                }
            });
        } else {
            StratifiedSplitter.Holdout h = splitter.holdout(data, testFraction, validationFraction);
            AtomicOutput.write(spark.sparkContext().hadoopConfiguration(), out, tmp -> {
                write(tmp, "train", csv, h.train());
                if (h.validation() != null) {
                    write(tmp, "validation", csv, h.validation());
                }
                write(tmp, "test", csv, h.test());
            });
        }
        System.out.println("wrote " + outputDir);
        return 0;
    }

    private static void write(Path dir, String name, boolean csv, LabeledFrame part) throws IOException {
        DataWriter.writeTo(part, new Path(dir, name + (csv ? ".csv" : "")), csv);
        System.out.println(name + ": " + ClassCounts.describe(part.classCounts(), part.labels()));
    }
}
