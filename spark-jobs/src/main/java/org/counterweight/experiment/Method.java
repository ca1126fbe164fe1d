package org.counterweight.experiment;

/**
 * One way of handling imbalance, as a combination of pipeline settings; everything not set here
 * comes from the experiment's defaults.
 *
 * @param name      the method's name in results and reports
 * @param resampler resampler spec applied to the training part ({@code smote(k_neighbors=5)},
 *                  {@code nearmiss(version=1)}, ...), or null
 * @param loss      loss or output-layer spec ({@code ce}, {@code focal(gamma=2)}, {@code fal}, ...)
 * @param sampler   per-epoch training sampler: {@code none}, {@code class-balanced} or {@code sqrt}
 * @param stage2    second training stage ({@code crt}, {@code tau-norm}), or null
 * @param model     model spec overriding the experiment's, or null
 * @param optimizer optimizer spec overriding the experiment's, or null
 */
public record Method(String name, String resampler, String loss, String sampler, String stage2, String model, String optimizer) {
    public Method {
        sampler = sampler == null ? "none" : sampler;
    }

    /** A method that only changes the loss. */
    public static Method ofLoss(String name, String loss) {
        return new Method(name, null, loss, "none", null, null, null);
    }

    public Method withSampler(String s) {
        return new Method(name, resampler, loss, s, stage2, model, optimizer);
    }

    public Method withStage2(String s) {
        return new Method(name, resampler, loss, sampler, s, model, optimizer);
    }

    /** One line for logs and reports. */
    public String describe() {
        StringBuilder sb = new StringBuilder(name).append(": loss=").append(loss);
        if (resampler != null) {
            sb.append(", resample=").append(resampler);
        }
        if (!"none".equals(sampler)) {
            sb.append(", sampler=").append(sampler);
        }
        if (stage2 != null) {
            sb.append(", stage2=").append(stage2);
        }
        if (model != null) {
            sb.append(", model=").append(model);
        }
        if (optimizer != null) {
            sb.append(", optimizer=").append(optimizer);
        }
        return sb.toString();
    }
}
