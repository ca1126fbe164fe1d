package org.counterweight.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * LibSVM / SVMlight text: {@code label index:value ...} with 1-based ascending indexes,
 * optional {@code # comment}. Features have no names in this format: feature j (index j+1) is
 * named {@code f<j>}, and the feature count is the highest index seen, unless features are
 * chosen by those names ({@link ReadOptions#features}): then each row holds exactly those, absent
 * indexes being zeros as usual.
 */
final class LibSvmFormat {
    private LibSvmFormat() {
    }

    static ParsedInput parse(JavaRDD<String> lines, String source, ReadOptions options) {
        if (options.idCol() != null) {
            throw new DataException(source + ": LibSVM rows have no named columns, so no id column '" + options.idCol()
                    + "' (rows are identified by their line position)");
        }
        if (lines.take(1).isEmpty()) {
            throw new DataException(source + ": file is empty");
        }
        int[] chosen = options.features() == null ? null : positions(source, options.features());
        JavaRDD<ParsedRecord> records = lines.zipWithIndex()
                .filter(t -> !strip(t._1()).isEmpty())
                .map(t -> choose(record(source, strip(t._1()), t._2()), chosen));
        return new ParsedInput(records, options.features(), source, "has no data rows");
    }

    private static int[] positions(String source, List<String> features) {
        int[] positions = features.stream().mapToInt(DataReader::position).toArray();
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < positions.length; j++) {
            if (positions[j] < 0) {
                missing.add(features.get(j));
            }
        }
        if (!missing.isEmpty()) {
            throw new DataException(source + ": LibSVM features are named by position (f0 = index 1, f1 = index 2, ...); no feature "
                    + String.join(", ", missing));
        }
        return positions;
    }

    /** The chosen features of a parsed sparse row as a dense row (the row itself when none are chosen). */
    private static ParsedRecord choose(ParsedRecord r, int[] chosen) {
        if (chosen == null || r.error != null) {
            return r;
        }
        double[] values = new double[chosen.length];
        for (int j = 0; j < chosen.length; j++) {
            int at = Arrays.binarySearch(r.indices, chosen[j]);
            values[j] = at < 0 ? 0 : r.values[at];
        }
        return ParsedRecord.dense(r.rowId, r.label, values);
    }

    private static String strip(String line) {
        int hash = line.indexOf('#');
        return (hash < 0 ? line : line.substring(0, hash)).strip();
    }
    private static ParsedRecord record(String source, String line, long lineIndex) {
        String where = source + " line " + (lineIndex + 1);
        String[] tokens = line.split("\\s+");
        int n = tokens.length - 1;
        int[] idx = new int[n];
        double[] val = new double[n];
        int last = 0;
        for (int i = 0; i < n; i++) {
            String tok = tokens[i + 1];
            int colon = tok.indexOf(':');
            if (colon <= 0) {
                return ParsedRecord.invalid(lineIndex, where + ": '" + tok + "' is not index:value");
            }
            int index;
            double value;
            try {
                index = Integer.parseInt(tok.substring(0, colon));
            } catch (NumberFormatException e) {
                return ParsedRecord.invalid(lineIndex, where + ": index in '" + tok + "' is not an integer");
            }
            try {
                value = Double.parseDouble(tok.substring(colon + 1));
            } catch (NumberFormatException e) {
                return ParsedRecord.invalid(lineIndex, where + ": value in '" + tok + "' is not a number");
            }
            if (index <= last) {
                return ParsedRecord.invalid(lineIndex, where + ": indexes must be 1-based and ascending, got " + index + " after " + last);
            }
            if (!Double.isFinite(value)) {
                return ParsedRecord.invalid(lineIndex, where + ", feature " + index + ": " + value + " is not a finite number");
            }
            idx[i] = index - 1;
            val[i] = value;
            last = index;
        }
        return ParsedRecord.sparse(lineIndex, tokens[0], idx, val);
    }
}
