package org.counterweight.data;

import org.apache.spark.api.java.JavaRDD;

/**
 * LibSVM / SVMlight text: {@code label index:value ...} with 1-based ascending indexes,
 * optional {@code # comment}. The feature count is the highest index seen; names are
 * {@code f0..f{d-1}}.
 */
final class LibSvmFormat {
    private LibSvmFormat() {
    }

    static ParsedInput parse(JavaRDD<String> lines, String source) {
        if (lines.take(1).isEmpty()) {
            throw new DataException(source + ": file is empty");
        }
        JavaRDD<ParsedRecord> records = lines.zipWithIndex()
                .filter(t -> !strip(t._1()).isEmpty())
                .map(t -> record(source, strip(t._1()), t._2()));
        return new ParsedInput(records, null, source, "has no data rows");
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
