package org.counterweight.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line (RFC 4180 quoting: fields may be double-quoted, {@code ""} is a quote
 * inside a quoted field). Multi-line quoted fields are not supported: Counterweight's inputs are
 * numeric tables, and line-based parsing is what keeps row numbers exact and reading parallel.
 */
final class CsvLineParser {
    private CsvLineParser() {
    }

    /** The fields of {@code line}, unquoted; throws IllegalArgumentException on a bad quote. */
    static String[] split(String line) {
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
            } else if (c == ',') {
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
