package org.counterweight.train;

import java.io.Serializable;
import org.counterweight.data.DataSettings;

/**
 * How {@link Preparation} fills in missing numeric values: {@link DataSettings#IMPUTE} and
 * {@link DataSettings#MISSING_INDICATOR}.
 *
 * @param impute           {@code median}, {@code mean} or {@code most-frequent}
 * @param missingIndicator add a 0/1 indicator per numeric feature with missing training values
 */
public record PrepareOptions(String impute, boolean missingIndicator) implements Serializable {
    public PrepareOptions {
        impute = DataSettings.IMPUTE.validate(impute == null ? DataSettings.IMPUTE.defaultValue() : impute);
    }

    /** The settings' defaults: median, no indicators. */
    public static PrepareOptions defaults() {
        return new PrepareOptions(null, false);
    }

    /** The strategy's name for Spark ML's {@code Imputer}. */
    String sparkStrategy() {
        return impute.equals("most-frequent") ? "mode" : impute;
    }
}
