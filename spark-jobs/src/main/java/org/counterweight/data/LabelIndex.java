package org.counterweight.data;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The mapping between original label values and class indexes. Classes are indexed in sorted
 * order of their values: numerically when every value is a number (so {@code 2 < 10}),
 * otherwise lexicographically. Reports and written files use the original values.
 */
public final class LabelIndex implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> values;
    private final Map<String, Integer> index;

    private LabelIndex(List<String> sortedValues) {
        this.values = List.copyOf(sortedValues);
        this.index = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            index.put(values.get(i), i);
        }
    }

    /** Builds the index from the distinct original values (any order). */
    public static LabelIndex of(Collection<String> distinctValues) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(distinctValues));
        if (sorted.stream().allMatch(LabelIndex::isNumber)) {
            // Numeric order; "1" and "1.0" are different values and keep distinct classes.
            sorted.sort(Comparator.comparing((String s) -> new BigDecimal(s.strip())).thenComparing(s -> s));
        } else {
            Collections.sort(sorted);
        }
        return new LabelIndex(sorted);
    }

    /** Index over class ids 0..k-1 named by their numbers ("0", "1", ...). */
    public static LabelIndex ofClassCount(int k) {
        List<String> v = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            v.add(Integer.toString(i));
        }
        return new LabelIndex(v);
    }

    private static boolean isNumber(String s) {
        try {
            new BigDecimal(s.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Number of classes K. */
    public int size() {
        return values.size();
    }

    /** Original values in index order. */
    public List<String> values() {
        return values;
    }

    /** Original value of class {@code k}. */
    public String value(int k) {
        return values.get(k);
    }

    /** Index of an original value; a {@link DataException} naming the value if unknown. */
    public int indexOf(String value) {
        Integer i = index.get(value);
        if (i == null) {
            throw new DataException("unknown label '" + value + "' (known: " + String.join(", ", values) + ")");
        }
        return i;
    }

    /** True when the value is one of the classes. */
    public boolean contains(String value) {
        return index.containsKey(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelIndex && ((LabelIndex) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "LabelIndex" + values;
    }
}
