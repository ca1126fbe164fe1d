package org.counterweight.data;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What one pass over the parsed rows learns: class counts by raw label (none for unlabeled input), the widest row and
 * the first error by row id. Merged with {@code treeAggregate}, so validation costs a single
 * Spark job and no rows reach the driver.
 */
final class ScanSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    final Map<String, Long> counts = new HashMap<>();
    long rows;
    int maxWidth;
    int minDenseWidth = Integer.MAX_VALUE;
    long firstErrorRow = Long.MAX_VALUE;
    String firstError;

    ScanSummary add(ParsedRecord r) {
        if (r.error != null) {
            if (r.rowId < firstErrorRow) {
                firstErrorRow = r.rowId;
                firstError = r.error;
            }
            return this;
        }
        rows++;
        if (r.label != null) {
            counts.merge(r.label, 1L, Long::sum);
        }
        maxWidth = Math.max(maxWidth, r.width());
        if (r.indices == null) {
            minDenseWidth = Math.min(minDenseWidth, r.width());
        }
        return this;
    }

    ScanSummary merge(ScanSummary o) {
        o.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
        rows += o.rows;
        maxWidth = Math.max(maxWidth, o.maxWidth);
        minDenseWidth = Math.min(minDenseWidth, o.minDenseWidth);
        if (o.firstErrorRow < firstErrorRow) {
            firstErrorRow = o.firstErrorRow;
            firstError = o.firstError;
        }
        return this;
    }
}
