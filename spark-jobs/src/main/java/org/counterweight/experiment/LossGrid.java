package org.counterweight.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.counterweight.spec.Spec;

/** The combinations of a tuning grid and the loss specs they make. */
final class LossGrid {
    private LossGrid() {
    }

    /** Every combination of the grid's values (cartesian product, in declaration order). */
    static List<Map<String, TuneValue>> combinations(Map<String, List<TuneValue>> grid) {
        List<Map<String, TuneValue>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<TuneValue>> e : grid.entrySet()) {
            List<Map<String, TuneValue>> next = new ArrayList<>();
            for (Map<String, TuneValue> partial : out) {
                for (TuneValue v : e.getValue()) {
                    Map<String, TuneValue> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** {@code loss} with {@code params} set, as written (replacing values the spec already has). */
    static String withParams(String loss, Map<String, TuneValue> params) {
        Spec s = Spec.parse(loss);
        Map<String, String> merged = new LinkedHashMap<>(s.params());
        params.forEach((k, v) -> merged.put(k, v.text()));
        if (merged.isEmpty()) {
            return s.name();
        }
        StringBuilder sb = new StringBuilder(s.name()).append('(');
        merged.forEach((k, v) -> sb.append(k).append('=').append(v).append(','));
        sb.setLength(sb.length() - 1);
        return sb.append(')').toString();
    }
}
