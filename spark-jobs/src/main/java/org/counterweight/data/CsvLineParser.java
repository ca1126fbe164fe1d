package org.counterweight.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line (RFC 4180 quoting: fields may be double-quoted, {@code ""} is a quote
 * inside a quoted field). Multi-line quoted fields are not supported: Counterweight's inputs are
 * numeric tables, and line-based parsing is what keeps row numbers exact and reading parallel.
 * The delimiter is a comma, a semicolon or a tab, detected from the header row.
 */
final class CsvLineParser {
    /** Delimiters tried on the header, in order of preference on a tie. */
    private static final char[] DELIMITERS = {',', ';', '\t'};

    private CsvLineParser() {
    }

    /**
     * The delimiter of a file with header row {@code header}: the one that splits it into the
     * most fields, a comma on a tie (a one-column header). Spreadsheets in locales with a decimal
     * comma save {@code ;}-separated CSV, and {@code .csv} exports of tab-separated data exist too.
     */
    static char delimiterOf(String header) {
        char best = DELIMITERS[0];
        int most = 0;
        for (char d : DELIMITERS) {
            int n;
            try {
                n = split(header, d).length;
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (n > most) {
                best = d;
                most = n;
            }
        }
        return best;
    }

    /** How messages name {@code delimiter}: {@code ','}, {@code ';'} or {@code tab}. */
    static String describe(char delimiter) {
        return delimiter == '\t' ? "tab" : "'" + delimiter + "'";
    }

    /** The fields of {@code line}, unquoted; throws IllegalArgumentException on a bad quote. */
    static String[] split(String line, char delimiter) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == delimiter) {
                out.add(wasQuoted ? field.toString() : field.toString().strip());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.toString().isBlank()) {
                quoted = true;
                wasQuoted = true;
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quoted field");
        }
        out.add(wasQuoted ? field.toString() : field.toString().strip());
        return out.toArray(new String[0]);
    }
}
