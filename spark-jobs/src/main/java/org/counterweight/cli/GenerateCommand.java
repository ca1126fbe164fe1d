package org.counterweight.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.ClassCounts;
import org.counterweight.data.DataWriter;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.Output;
import org.counterweight.data.OutputKind;
import org.counterweight.data.SyntheticGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate}: synthetic imbalanced Gaussian-cluster data (METHODS §6). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate synthetic imbalanced data: one Gaussian cluster per class, geometric class profile.")
public final class GenerateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    // Defaults and help texts of these options: DataSettings and CommonSettings (SettingOptions).
    @Option(names = "--rows", paramLabel = "N")
    long rows;

    @Option(names = "--num-features", paramLabel = "N")
    int features;

    @Option(names = "--classes", paramLabel = "K")
    int classes;

    @Option(names = "--imbalance-ratio", paramLabel = "R")
    double imbalanceRatio;

    @Option(names = "--separation", paramLabel = "S")
    double separation;

    @Option(names = "--seed", paramLabel = "N")
    long seed;

    @Option(names = "--partitions", defaultValue = "0", description = "Partitions to generate in (default: Spark's parallelism).")
    int partitions;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH",
            description = "Output: a .csv file, or a Parquet directory for any other path; replaces only an earlier dataset output (see --overwrite).")
    String output;

    @Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() {
        SyntheticGenerator gen = new SyntheticGenerator().rows(rows).features(features).classes(classes)
                .imbalanceRatio(imbalanceRatio).separation(separation).seed(seed).partitions(partitions);
        long[] counts = gen.classCounts();
        SparkSession spark = common.spark("generate");
        Output out = overwrite.output(spark, output, OutputKind.DATASET);
        LabeledFrame data = gen.generate(spark);
        DataWriter.write(data, out);
        System.out.println("wrote " + output + ": " + rows + " rows, " + features + " features, class counts "
                + ClassCounts.describe(counts, data.labels()));
        return 0;
    }
}
