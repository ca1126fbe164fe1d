package org.counterweight.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.counterweight.resample.ResampleMethod;
import org.counterweight.spec.Spec;

/**
 * The named methods an experiment can list in one word, and the composition rule for the rest:
 * {@code <resampler>+<loss>} (e.g. {@code smote(k_neighbors=3)+focal(gamma=1)}) resamples the
 * training part with the resampler and trains with the loss. Any loss spec alone is also a method.
 */
public final class MethodCatalog {
    /** Resampler names accepted on the left of {@code +}; nearmiss1..3 are shorthands. */
    private static final Map<String, String> RESAMPLERS = new LinkedHashMap<>();
    private static final Map<String, Method> NAMED = new LinkedHashMap<>();
    /** Output-layer losses of {@link org.counterweight.losses.OutputLayers} besides the logit losses. */
    private static final Set<String> ANCHOR_LAYERS = Set.of("fal", "faml");

    static {
        // Every resampler by its spec name (a new ResampleMethod needs no line here), and NearMiss's versions.
        for (ResampleMethod m : ResampleMethod.values()) {
            RESAMPLERS.put(m.cliName(), m.cliName());
            if (m == ResampleMethod.NEARMISS) {
                for (int v = 1; v <= 3; v++) {
                    RESAMPLERS.put("nearmiss" + v, "nearmiss(version=" + v + ")");
                }
            }
        }

        add(Method.ofLoss("ce", "ce"));
        add(Method.ofLoss("weighted-ce", "weighted-ce(weights=inverse)"));
        add(Method.ofLoss("focal", "focal(gamma=2)"));
        add(Method.ofLoss("cb-focal", "cb(beta=0.9999,base=focal,gamma=1)"));
        add(Method.ofLoss("cb-ce", "cb(beta=0.9999,base=ce)"));
        add(Method.ofLoss("ldam", "ldam(max_margin=0.5,scale=30)"));
        // LDAM-DRW (Cao et al. 2019): re-weighting switched on at 80% of the epochs, cosine head.
        add(Method.ofLoss("ldam-drw", "ldam(max_margin=0.5,scale=30,drw=auto)"));
        add(Method.ofLoss("elm", "elm(max_margin=0.5,scale=30,lambda=1)"));
        add(Method.ofLoss("mm", "mm(max_margin=1.29,gamma=1.528,scale=19)"));
        add(Method.ofLoss("balanced-softmax", "balanced-softmax"));
        add(Method.ofLoss("logit-adjusted", "logit-adjusted(tau=1)"));
        add(Method.ofLoss("fnr-weighted-ce", "fnr-weighted-ce(alpha=0.01)"));
        add(Method.ofLoss("fal", "fal"));
        add(Method.ofLoss("faml", "faml"));
        add(Method.ofLoss("class-balanced+ce", "ce").withSampler("class-balanced"));
        add(Method.ofLoss("sqrt+ce", "ce").withSampler("sqrt"));
        add(Method.ofLoss("crt", "ce").withStage2("crt"));
        add(Method.ofLoss("tau-norm", "ce").withStage2("tau-norm"));
        // BBN (Zhou et al. 2020): the model's last hidden layer as two branches, natural and reversed sampling, cumulative learning.
        add(Method.ofLoss("bbn", "bbn"));
    }

    private MethodCatalog() {
    }

    private static void add(Method m) {
        NAMED.put(m.name(), m);
    }

    /** The one-word method names. */
    public static Set<String> names() {
        Set<String> out = new TreeSet<>(NAMED.keySet());
        for (String r : RESAMPLERS.keySet()) {
            out.add(r + "+ce");
        }
        return out;
    }

    /**
     * Resolves a method string: a named method, {@code resampler+loss}, or a loss spec alone.
     * Specs are parsed here so typos fail before anything runs; the loss factory validates the
     * loss's own parameters when the run starts.
     */
    public static Method resolve(String text) {
        String t = text.strip();
        Method named = NAMED.get(t);
        if (named != null) {
            return named;
        }
        int plus = topLevelPlus(t);
        if (plus > 0) {
            String left = t.substring(0, plus).strip();
            String right = t.substring(plus + 1).strip();
            Spec r = Spec.parse(left);
            String resampler = RESAMPLERS.get(r.name());
            if (resampler == null) {
                throw new IllegalArgumentException("method '" + t + "': unknown resampler '" + r.name() + "' (known: "
                        + String.join(", ", RESAMPLERS.keySet()) + ")");
            }
            if (!r.params().isEmpty()) {
                resampler = left;
                if (r.name().matches("nearmiss[123]")) {
                    throw new IllegalArgumentException("method '" + t + "': give parameters as nearmiss(version=N,...)");
                }
            }
            Method base = NAMED.containsKey(right) ? NAMED.get(right) : Method.ofLoss(right, right);
            Spec.parse(base.loss());
            return new Method(t, resampler, base.loss(), base.sampler(), base.stage2(), base.model(), base.optimizer());
        }
        Spec s = Spec.parse(t);
        if (!org.counterweight.losses.Losses.names().contains(s.name()) && !ANCHOR_LAYERS.contains(s.name())) {
            throw new IllegalArgumentException("unknown method '" + t + "' (named methods: " + String.join(", ", names())
                    + "; or <resampler>+<loss>, or any loss spec)");
        }
        return Method.ofLoss(t, t);
    }

    private static int topLevelPlus(String t) {
        int depth = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '+' && depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
