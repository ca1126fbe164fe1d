package org.counterweight.resample;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.counterweight.data.DataException;
import org.counterweight.data.LabelIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one resolver of {@code --sampling-strategy} (METHODS.md §1), shared by every resampler:
 * it turns the strategy, the class counts and the sampler kind into the final row count of each
 * targeted class. Classes absent from the result are left untouched.
 *
 * <p>Forms and their meaning follow imbalanced-learn 0.10 ({@code check_sampling_strategy}):
 * <ul>
 *   <li>{@code auto}: over → {@code not-majority}; under → {@code not-minority}.</li>
 *   <li>{@code minority} (over only), {@code majority} (under only), {@code not-minority},
 *       {@code not-majority}, {@code all}: those classes up to the majority count (over) or
 *       down to the minority count (under). Majority/minority ties go to the smaller class
 *       index.</li>
 *   <li>a float α ∈ (0, 1], binary data only: over → the minority gains
 *       {@code trunc(α·n_maj − n_min)} rows (an error unless positive); under → the majority
 *       keeps {@code trunc(n_min / α)} rows (an error if that exceeds its count).</li>
 *   <li>{@code class:count,...}: the final count per class; over may not shrink a class, under
 *       may not grow one; unknown classes and negative counts are errors. Classes are class
 *       indexes, or original label values when a {@link LabelIndex} is given.</li>
 *   <li>{@code [class,...]}: cleaning samplers only (imbalanced-learn's list): the classes to
 *       clean.</li>
 * </ul>
 * A cleaning sampler ({@link SamplerKind#CLEAN}) takes the named forms as an under-sampler
 * does ({@code auto} = {@code not-minority}, {@code minority} is an error) or a class list;
 * a float or {@code class:count} is an error. Its targets are the targeted classes' current
 * counts: it removes what its rule flags, not down to a count.
 * Data with fewer than two classes is always an error.
 */
public final class SamplingStrategy implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SamplingStrategy.class);

    /** The named forms. */
    public enum Named {
        AUTO, MINORITY, MAJORITY, NOT_MINORITY, NOT_MAJORITY, ALL;

        /** The spelling used on the command line ({@code not-minority}). */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final String text;
    private final Named named;
    private final Double ratio;
    private final Map<String, Long> counts;
    private final List<String> classes;

    private SamplingStrategy(String text, Named named, Double ratio, Map<String, Long> counts) {
        this(text, named, ratio, counts, null);
    }

    private SamplingStrategy(String text, Named named, Double ratio, Map<String, Long> counts, List<String> classes) {
        this.text = text;
        this.named = named;
        this.ratio = ratio;
        this.counts = counts;
        this.classes = classes;
    }

    /**
     * Parses the strategy text (syntax only; what it means depends on the data). Named forms
     * accept {@code -}, {@code _} or a space between words, as imbalanced-learn spells
     * {@code "not minority"}.
     *
     * @throws IllegalArgumentException naming {@code sampling-strategy} and what is allowed
     */
    public static SamplingStrategy parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("sampling-strategy is empty; " + allowed());
        }
        String s = text.strip();
        String key = s.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (Named n : Named.values()) {
            if (n.name().equals(key)) {
                return new SamplingStrategy(s, n, null, null);
            }
        }
        if (s.startsWith("[")) {
            return new SamplingStrategy(s, null, null, null, parseClasses(s));
        }
        if (s.indexOf(':') >= 0) {
            return new SamplingStrategy(s, null, null, parseCounts(s));
        }
        double alpha;
        try {
            alpha = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sampling-strategy '" + s + "' is not understood; " + allowed());
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("sampling-strategy: a float must be in the range (0, 1], got " + s);
        }
        return new SamplingStrategy(s, null, alpha, null);
    }

    private static Map<String, Long> parseCounts(String s) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String item : s.split(",", -1)) {
            String it = item.strip();
            int colon = it.lastIndexOf(':');
            if (colon <= 0 || colon == it.length() - 1) {
                throw new IllegalArgumentException("sampling-strategy '" + s + "': expected class:count, got '" + it + "'");
            }
            String cls = it.substring(0, colon).strip();
            long n;
            try {
                n = Long.parseLong(it.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sampling-strategy '" + s + "': count of class '" + cls
                        + "' is not an integer: '" + it.substring(colon + 1).strip() + "'");
            }
            if (n < 0) {
                throw new IllegalArgumentException("sampling-strategy '" + s + "': the number of samples in a class"
                        + " cannot be negative (class '" + cls + "': " + n + ")");
            }
            if (out.put(cls, n) != null) {
                throw new IllegalArgumentException("sampling-strategy '" + s + "': class '" + cls + "' given twice");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static List<String> parseClasses(String s) {
        if (!s.endsWith("]") || s.substring(1, s.length() - 1).isBlank()) {
            throw new IllegalArgumentException("sampling-strategy '" + s + "': expected a class list [class,...]");
        }
        List<String> out = new ArrayList<>();
        for (String item : s.substring(1, s.length() - 1).split(",", -1)) {
            String c = item.strip();
            if (c.isEmpty() || out.contains(c)) {
                throw new IllegalArgumentException("sampling-strategy '" + s + "': "
                        + (c.isEmpty() ? "empty class name" : "class '" + c + "' given twice"));
            }
            out.add(c);
        }
        return List.copyOf(out);
    }

    private static String allowed() {
        return "expected auto, minority, majority, not-minority, not-majority, all, a float in (0, 1]"
                + " (binary data), class:count,... or [class,...] (cleaning samplers)";
    }

    /** Final counts per targeted class; explicit classes are class indexes. */
    public SortedMap<Integer, Long> targets(ClassStats stats, SamplerKind kind) {
        return targets(stats, kind, null);
    }

    /**
     * Final counts per targeted class.
     *
     * @param labels when non-null, classes in a {@code class:count} strategy and in messages are
     *               original label values mapped through this index; otherwise class indexes
     * @throws DataException            when the data does not allow the strategy (one class,
     *                                  unknown class, counts going the wrong way)
     * @throws IllegalArgumentException when the form does not fit the sampler kind or the data
     *                                  (majority for over, float for multiclass)
     */
    public SortedMap<Integer, Long> targets(ClassStats stats, SamplerKind kind, LabelIndex labels) {
        if (stats.classes() <= 1) {
            throw new DataException("resampling needs more than one class; the data has "
                    + stats.classes() + " class(es) (" + stats.names(labels) + ")");
        }
        SortedMap<Integer, Long> out = new TreeMap<>();
        SortedMap<Integer, Long> n = stats.counts();
        long nMaj = n.get(stats.majority());
        long nMin = n.get(stats.minority());
        if (kind == SamplerKind.CLEAN) {
            return cleaned(stats, labels);
        }
        if (classes != null) {
            throw new IllegalArgumentException("sampling-strategy " + text + ": a class list is only for cleaning"
                    + " samplers (tomek-links, enn); give class:count,... instead");
        }
        if (named != null) {
            Named form = named;
            if (form == Named.AUTO) {
                form = kind == SamplerKind.OVER ? Named.NOT_MAJORITY : Named.NOT_MINORITY;
            }
            if (form == Named.MAJORITY && kind == SamplerKind.OVER) {
                throw new IllegalArgumentException("sampling-strategy 'majority' cannot be used with an over-sampler");
            }
            if (form == Named.MINORITY && kind == SamplerKind.UNDER) {
                throw new IllegalArgumentException("sampling-strategy 'minority' cannot be used with an under-sampler");
            }
            for (int c : n.keySet()) {
                boolean targeted;
                switch (form) {
                    case MINORITY: targeted = c == stats.minority(); break;
                    case MAJORITY: targeted = c == stats.majority(); break;
                    case NOT_MINORITY: targeted = c != stats.minority(); break;
                    case NOT_MAJORITY: targeted = c != stats.majority(); break;
                    default: targeted = true; break;
                }
                if (targeted) {
                    out.put(c, kind == SamplerKind.OVER ? nMaj : nMin);
                }
            }
        } else if (ratio != null) {
            if (stats.classes() != 2) {
                throw new IllegalArgumentException("sampling-strategy can be a float only for binary data; for "
                        + stats.classes() + " classes use class:count,...");
            }
            if (kind == SamplerKind.OVER) {
                int min = otherThan(stats, stats.majority());
                // imbalanced-learn: int(n_maj * alpha - n_min) new rows, truncated towards zero.
                long add = (long) (nMaj * ratio - n.get(min));
                if (add <= 0) {
                    throw new DataException("sampling-strategy " + text + " would remove rows from class " + ClassStats.name(min, labels)
                            + " (" + n.get(min) + " rows, majority " + nMaj + ") instead of adding; increase the ratio");
                }
                out.put(min, n.get(min) + add);
            } else {
                int maj = otherThan(stats, stats.minority());
                long keep = (long) (nMin / ratio);
                if (keep > n.get(maj)) {
                    throw new DataException("sampling-strategy " + text + " would need " + keep + " rows of class " + ClassStats.name(maj, labels)
                            + " which has only " + n.get(maj) + "; increase the ratio");
                }
                out.put(maj, keep);
            }
        } else {
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                int c = classOf(e.getKey(), stats, labels);
                long want = e.getValue();
                long have = n.get(c);
                if (kind == SamplerKind.OVER && want < have) {
                    throw new DataException("sampling-strategy: an over-sampler cannot shrink class " + e.getKey()
                            + " from " + have + " to " + want + " rows");
                }
                if (kind == SamplerKind.UNDER && want > have) {
                    throw new DataException("sampling-strategy: an under-sampler cannot grow class " + e.getKey()
                            + " from " + have + " to " + want + " rows");
                }
                if (kind == SamplerKind.OVER && want > nMaj) {
                    LOG.warn("after over-sampling class {} will have {} rows, more than the majority class {} ({})",
                            e.getKey(), want, ClassStats.name(stats.majority(), labels), nMaj);
                }
                out.put(c, want);
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** A cleaning sampler's targets: the targeted classes at their current counts. */
    private SortedMap<Integer, Long> cleaned(ClassStats stats, LabelIndex labels) {
        if (ratio != null || counts != null) {
            throw new IllegalArgumentException("sampling-strategy " + text + ": a cleaning sampler takes no "
                    + (ratio != null ? "ratio" : "counts") + "; name the classes to clean, e.g. [" + stats.majority()
                    + "], or auto, all, majority, not-minority, not-majority");
        }
        SortedMap<Integer, Long> out = new TreeMap<>();
        if (classes != null) {
            for (String name : classes) {
                int c = classOf(name, stats, labels);
                out.put(c, stats.count(c));
            }
            return Collections.unmodifiableSortedMap(out);
        }
        Named form = named == Named.AUTO ? Named.NOT_MINORITY : named;
        if (form == Named.MINORITY) {
            throw new IllegalArgumentException("sampling-strategy 'minority' cannot be used with a cleaning sampler");
        }
        for (int c : stats.counts().keySet()) {
            boolean targeted = form == Named.ALL
                    || (form == Named.MAJORITY && c == stats.majority())
                    || (form == Named.NOT_MINORITY && c != stats.minority())
                    || (form == Named.NOT_MAJORITY && c != stats.majority());
            if (targeted) {
                out.put(c, stats.count(c));
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    private static int otherThan(ClassStats stats, int c) {
        return stats.counts().keySet().stream().filter(k -> k != c).findFirst().orElseThrow();
    }

    private static int classOf(String name, ClassStats stats, LabelIndex labels) {
        int c;
        if (labels != null) {
            if (!labels.contains(name)) {
                throw new DataException("sampling-strategy: class '" + name + "' is not a label of the data (labels: "
                        + String.join(", ", labels.values()) + ")");
            }
            c = labels.indexOf(name);
        } else {
            try {
                c = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                throw new DataException("sampling-strategy: class '" + name + "' is not a class index"
                        + " (classes present: " + stats.names(null) + ")");
            }
        }
        if (!stats.counts().containsKey(c)) {
            throw new DataException("sampling-strategy: class '" + name + "' is not present in the data"
                    + " (classes present: " + stats.names(labels) + ")");
        }
        return c;
    }

    @Override
    public String toString() {
        return text;
    }
}
