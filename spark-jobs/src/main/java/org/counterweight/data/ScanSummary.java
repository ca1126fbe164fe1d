package org.counterweight.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one pass over the parsed rows learns: class counts by raw label (none for unlabeled input), the widest row,
 * the number of missing values, the distinct values of each categorical feature (at most
 * {@code maxLevels + 1} kept, enough to tell a column over the limit) and the first error by row id. Merged with {@code treeAggregate}, so validation costs a single
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
    long missing;
    final int maxLevels;
    /** Distinct values per categorical feature, each capped at {@code maxLevels + 1}. */
    final List<Set<String>> levels = new ArrayList<>();

    ScanSummary(int maxLevels) {
        this.maxLevels = maxLevels;
    }

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
        missing += r.missing();
        if (r.categories != null) {
            for (int c = 0; c < r.categories.length; c++) {
                if (levels.size() <= c) {
                    levels.add(new HashSet<>());
                }
                if (r.categories[c] != null && levels.get(c).size() <= maxLevels) {
                    levels.get(c).add(r.categories[c]);
                }
            }
        }
        return this;
    }

    ScanSummary merge(ScanSummary o) {
        o.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
        rows += o.rows;
        maxWidth = Math.max(maxWidth, o.maxWidth);
        minDenseWidth = Math.min(minDenseWidth, o.minDenseWidth);
        missing += o.missing;
        for (int c = 0; c < o.levels.size(); c++) {
            if (levels.size() <= c) {
                levels.add(new HashSet<>());
            }
            for (String v : o.levels.get(c)) {
                if (levels.get(c).size() > maxLevels) {
                    break;
                }
                levels.get(c).add(v);
            }
        }
        if (o.firstErrorRow < firstErrorRow) {
            firstErrorRow = o.firstErrorRow;
            firstError = o.firstError;
        }
        return this;
    }
}
