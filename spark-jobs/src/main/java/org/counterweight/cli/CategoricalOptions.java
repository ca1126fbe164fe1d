package org.counterweight.cli;

import java.util.List;
import org.counterweight.data.ReadOptions;
import picocli.CommandLine.Option;

/**
 * {@code --categorical}, {@code --missing-values}, {@code --max-levels}: which feature columns
 * are categories and which texts mean a missing value (defaults and help of the latter two:
 * {@link org.counterweight.data.DataSettings}).
 */
public final class CategoricalOptions {
    @Option(names = "--categorical", paramLabel = "COL", split = ",",
            description = "Categorical feature columns, comma-separated: text or integer codes, one-hot encoded for the network "
                    + "over the training part's categories plus an 'unknown' slot.")
    List<String> categorical;

    @Option(names = "--missing-values", paramLabel = "TEXTS")
    String missingValues;

    @Option(names = "--max-levels", paramLabel = "N")
    Integer maxLevels;

    /** {@code options} with these. */
    ReadOptions apply(ReadOptions options) {
        return options.withCategorical(categorical).withMissingValues(missingValues).withMaxLevels(maxLevels);
    }
}
