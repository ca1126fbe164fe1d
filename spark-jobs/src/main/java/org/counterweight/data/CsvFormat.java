package org.counterweight.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;

/**
 * CSV with a header row (optionally gzip-compressed): the label column and numeric feature
 * columns. Parsing is line-based over {@code textFile}, which keeps line numbers exact for
 * error messages and row ids stable (row id = data row position, header excluded).
 */
final class CsvFormat implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String[] header;
    private final int labelIndex;
    private final int[] featureIndexes;

    private CsvFormat(String source, String[] header, int labelIndex, int[] featureIndexes) {
        this.source = source;
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
        String[] header;
        try {
            header = CsvLineParser.split(stripBom(first.get(0)));
        } catch (IllegalArgumentException e) {
            throw new DataException(source + " line 1 (header): " + e.getMessage());
        }
        List<String> names = Arrays.asList(header);
        int label = names.indexOf(options.labelCol());
        if (label < 0) {
            throw new DataException(source + ": no label column '" + options.labelCol() + "' in header (columns: "
                    + abbreviate(names) + "); choose one with --label-col");
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
        CsvFormat format = new CsvFormat(source, header, label, features);
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
            fields = CsvLineParser.split(line);
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
            double v;
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                return ParsedRecord.invalid(rowId, where + ", column '" + header[c] + "': '" + abbreviate(text) + "' is not a number");
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
