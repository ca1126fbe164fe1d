package org.counterweight.cli;

import org.apache.spark.sql.SparkSession;
import org.counterweight.data.Output;
import org.counterweight.data.OutputKind;
import picocli.CommandLine.Option;

/**
 * {@code --overwrite}, shared by every command that writes an output, and the one way commands
 * turn their output path into a checked {@link Output} before any job runs.
 */
public final class OverwriteOption {
    @Option(names = "--overwrite",
            description = {"Replace an existing output path that Counterweight did not write (without it such a path is refused;",
                "a previous output of the same command is replaced anyway). An output that is, holds or lies inside an input is always refused."})
    boolean overwrite;

    /** The checked output of {@code kind} at {@code path}, reading {@code inputs}. */
    public Output output(SparkSession spark, String path, OutputKind kind, String... inputs) {
        return Output.of(path, kind).overwrite(overwrite).readingFrom(inputs)
                .check(spark.sparkContext().hadoopConfiguration());
    }
}
