package org.counterweight.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CSV with a header row (optionally gzip-compressed): the label column and numeric feature
 * columns, separated by commas, semicolons or tabs (whichever the header uses, see
 * {@link CsvLineParser#delimiterOf}). Parsing is line-based over {@code textFile}, which keeps
 * line numbers exact for error messages and row ids stable (row id = data row position, header
 * excluded).
 */
final class CsvFormat implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CsvFormat.class);
    /** A number written with a decimal comma, as {@code ;}-separated exports from some locales have. */
    private static final Pattern DECIMAL_COMMA = Pattern.compile("[-+]?\\d*,\\d+");

    private final String source;
    private final char delimiter;
    private final String[] header;
    private final int labelIndex;
    private final int[] featureIndexes;

    private CsvFormat(String source, char delimiter, String[] header, int labelIndex, int[] featureIndexes) {
        this.source = source;
        this.delimiter = delimiter;
        this.header = header;
        this.labelIndex = labelIndex;
        this.featureIndexes = featureIndexes;
    }

    /** Parses {@code lines} (the whole file, header first) from {@code source}. */
    static ParsedInput parse(JavaRDD<String> lines, String source, ReadOptions options) {
        List<String> first = lines.take(1);
        if (first.isEmpty() || first.get(0).isBlank()) {
            throw new DataException(source + ": file is empty (expected a header row)");
        }
        String headerLine = stripBom(first.get(0));
        char delimiter = CsvLineParser.delimiterOf(headerLine);
        String[] header;
        try {
            header = CsvLineParser.split(headerLine, delimiter);
        } catch (IllegalArgumentException e) {
            throw new DataException(source + " line 1 (header): " + e.getMessage());
        }
        if (delimiter != ',') {
            LOG.info("{}: the header is {}-separated; reading every line with that delimiter", source,
                    CsvLineParser.describe(delimiter));
        }
        List<String> names = Arrays.asList(header);
        int label = names.indexOf(options.labelCol());
        if (label < 0) {
            throw new DataException(source + ": no label column '" + options.labelCol() + "' in header (columns: "
                    + abbreviate(names) + ")", "--label-col", "choose one with --label-col");
        }
        int[] features;
        if (options.features() == null) {
            features = new int[header.length - 1];
            for (int i = 0, j = 0; i < header.length; i++) {
                if (i != label) {
                    features[j++] = i;
                }
            }
        } else {
            features = new int[options.features().size()];
            for (int j = 0; j < features.length; j++) {
                String f = options.features().get(j);
                features[j] = names.indexOf(f);
                if (features[j] < 0) {
                    throw new DataException(source + ": no feature column '" + f + "' in header (columns: " + abbreviate(names) + ")");
                }
                if (features[j] == label) {
                    throw new DataException(source + ": column '" + f + "' is the label column and cannot be a feature");
                }
            }
        }
        if (features.length == 0) {
            throw new DataException(source + ": no feature columns (header has only '" + options.labelCol() + "')");
        }
        List<String> featureNames = new ArrayList<>();
        for (int i : features) {
            featureNames.add(header[i]);
        }
        CsvFormat format = new CsvFormat(source, delimiter, header, label, features);
        JavaPairRDD<String, Long> indexed = lines.zipWithIndex();
        JavaRDD<ParsedRecord> records = indexed
                .filter(t -> t._2() > 0 && !t._1().isBlank())
                .map(t -> format.record(t._1(), t._2()));
        return new ParsedInput(records, featureNames, source, "has a header but no data rows");
    }

    private ParsedRecord record(String line, long lineIndex) {
        long rowId = lineIndex - 1;
        String where = source + " line " + (lineIndex + 1);
        String[] fields;
        try {
            fields = CsvLineParser.split(line, delimiter);
        } catch (IllegalArgumentException e) {
            return ParsedRecord.invalid(rowId, where + ": " + e.getMessage());
        }
        if (fields.length != header.length) {
            return ParsedRecord.invalid(rowId, where + ": " + fields.length + " fields, but the header has " + header.length);
        }
        String label = fields[labelIndex];
        if (label.isEmpty()) {
            return ParsedRecord.invalid(rowId, where + ", column '" + header[labelIndex] + "': empty label");
        }
        double[] values = new double[featureIndexes.length];
        for (int j = 0; j < featureIndexes.length; j++) {
            int c = featureIndexes[j];
            String text = fields[c];
            if (text.isEmpty()) {
                return ParsedRecord.invalid(rowId, where + ", column '" + header[c]
                        + "': missing value (every feature needs a value; fill in or drop such rows first)");
            }
            double v;
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                String hint = DECIMAL_COMMA.matcher(text).matches() ? " (use '.' as the decimal separator)" : "";
                return ParsedRecord.invalid(rowId, where + ", column '" + header[c] + "': '" + abbreviate(text) + "' is not a number" + hint);
            }
            if (!Double.isFinite(v)) {
                return ParsedRecord.invalid(rowId, where + ", column '" + header[c] + "': " + text + " is not a finite number");
            }
            values[j] = v;
        }
        return ParsedRecord.dense(rowId, label, values);
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    static String abbreviate(List<String> names) {
        if (names.size() <= 12) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, 10)) + ", ... (" + names.size() + " in all)";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
