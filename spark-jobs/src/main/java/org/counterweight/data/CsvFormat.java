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
 * CSV with a header row (optionally gzip-compressed): the label column (optional for data to
 * score), numeric feature columns and categorical ones ({@link ReadOptions#categorical}: text or
 * integer codes), where the {@link ReadOptions#missingValues missing-value texts} mean "no value"
 * (never in the label), optionally an id column kept as text, and any other columns
 * when the features are named; separated by commas, semicolons or tabs (whichever the header
 * uses, see {@link CsvLineParser#delimiterOf}). Parsing is line-based over {@code textFile},
 * which keeps line numbers exact for error messages and row ids stable (row id = data row
 * position, header
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
    /** Label column position, or -1 for unlabeled input. */
    private final int labelIndex;
    /** Id column position, or -1. */
    private final int idIndex;
    private final int[] featureIndexes;
    /** Per feature, its place among the categorical ones or -1; null without categorical features. */
    private final int[] categorySlots;
    private final int categoricals;
    private final ReadOptions options;

    private CsvFormat(String source, char delimiter, String[] header, int labelIndex, int idIndex, int[] featureIndexes,
                      int[] categorySlots, ReadOptions options) {
        this.source = source;
        this.delimiter = delimiter;
        this.header = header;
        this.labelIndex = labelIndex;
        this.idIndex = idIndex;
        this.featureIndexes = featureIndexes;
        this.categorySlots = categorySlots;
        this.categoricals = categorySlots == null ? 0 : CategoricalColumns.positions(categorySlots).length;
        this.options = options;
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
        if (label < 0 && !options.labelOptional()) {
            throw new DataException(source + ": no label column '" + options.labelCol() + "' in header (columns: "
                    + abbreviate(names) + ")", "--label-col", "choose one with --label-col");
        }
        int id = -1;
        if (options.idCol() != null) {
            id = names.indexOf(options.idCol());
            if (id < 0) {
                throw new DataException(source + ": no id column '" + options.idCol() + "' in header (columns: " + abbreviate(names) + ")");
            }
            if (id == label) {
                throw new DataException(source + ": column '" + options.idCol() + "' is the label column and cannot be the id column");
            }
        }
        int[] features;
        if (options.features() == null) {
            List<Integer> implicit = new ArrayList<>();
            for (int i = 0; i < header.length; i++) {
                if (i != label && i != id) {
                    implicit.add(i);
                }
            }
            features = implicit.stream().mapToInt(Integer::intValue).toArray();
        } else {
            features = new int[options.features().size()];
            List<String> missing = new ArrayList<>();
            for (int j = 0; j < features.length; j++) {
                String f = options.features().get(j);
                features[j] = names.indexOf(f);
                if (features[j] < 0) {
                    missing.add(f);
                } else if (features[j] == label) {
                    throw new DataException(source + ": column '" + f + "' is the label column and cannot be a feature");
                }
            }
            if (!missing.isEmpty()) {
                throw missingFeatures(source, missing, names);
            }
        }
        if (features.length == 0) {
            throw new DataException(source + ": no feature columns (header has only " + abbreviate(names) + ")");
        }
        List<String> featureNames = new ArrayList<>();
        for (int i : features) {
            featureNames.add(header[i]);
        }
        int[] slots = CategoricalColumns.slots(source, featureNames, options, names);
        CsvFormat format = new CsvFormat(source, delimiter, header, label, id, features, slots, options);
        JavaPairRDD<String, Long> indexed = lines.zipWithIndex();
        JavaRDD<ParsedRecord> records = indexed
                .filter(t -> t._2() > 0 && !t._1().isBlank())
                .map(t -> format.record(t._1(), t._2()));
        return new ParsedInput(records, featureNames, source, "has a header but no data rows", label >= 0);
    }

    /** The error for requested feature columns the input lacks: names all of them and the file. */
    static DataException missingFeatures(String source, List<String> missing, List<String> columns) {
        String what = missing.size() == 1 ? "no feature column '" + missing.get(0) + "'"
                : "no feature columns '" + String.join("', '", missing) + "'";
        return new DataException(source + ": " + what + " (columns: " + abbreviate(columns) + ")");
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
        String label = labelIndex < 0 ? null : fields[labelIndex];
        if (label != null && (label.isEmpty() || options.isMissing(label))) {
            return ParsedRecord.invalid(rowId, where + ", column '" + header[labelIndex] + "': "
                    + (label.isEmpty() ? "empty label" : "missing label '" + label + "'") + " (labels are never missing)");
        }
        double[] values = new double[featureIndexes.length];
        String[] categories = categoricals == 0 ? null : new String[categoricals];
        for (int j = 0; j < featureIndexes.length; j++) {
            int c = featureIndexes[j];
            String text = fields[c];
            boolean missing = options.isMissing(text);
            if (categories != null && categorySlots[j] >= 0) {
                categories[categorySlots[j]] = missing ? null : ParsedRecord.category(text);
                continue;
            }
            if (missing) {
                values[j] = Double.NaN;
                continue;
            }
            if (text.isEmpty()) {
                return ParsedRecord.invalid(rowId, where + ", column '" + header[c]
                        + "': empty field, and the empty field is not one of the missing-value texts (--missing-values)");
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
        return ParsedRecord.dense(rowId, label, idIndex < 0 ? null : fields[idIndex], values, categories);
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
