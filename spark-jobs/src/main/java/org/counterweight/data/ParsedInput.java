package org.counterweight.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * A format reader's output: parsed rows plus the feature names the format declares (null when
 * the format has none, as LibSVM; names {@code f0..} are then derived from the widest row).
 *
 * @param records      parsed (possibly invalid) rows
 * @param featureNames declared feature names, or null
 * @param source       the input's name for messages
 * @param emptyMessage what to say when no data rows were found (e.g. "has a header but no data rows")
 * @param labeled      false when the input has no label column (see {@link ReadOptions#labelOptional})
 */
record ParsedInput(JavaRDD<ParsedRecord> records, List<String> featureNames, String source, String emptyMessage,
                   boolean labeled) {

    /** Labeled input. */
    ParsedInput(JavaRDD<ParsedRecord> records, List<String> featureNames, String source, String emptyMessage) {
        this(records, featureNames, source, emptyMessage, true);
    }
}
