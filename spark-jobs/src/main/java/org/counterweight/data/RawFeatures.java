package org.counterweight.data;

import java.io.Serializable;
import java.util.List;

/**
 * What a freshly read frame holds that the network cannot take yet: categorical features (their
 * raw values in column {@link Columns#CATEGORIES}, a 0 in their place of {@code features}) and
 * missing numeric values (NaN in {@code features}). Such a frame goes through the preparation
 * fitted on its training part ({@code train/Preparation}) before resampling and training.
 *
 * @param categorical names of the categorical features, in the order of the {@code categories} values
 * @param missing     number of missing values read (numeric and categorical)
 */
public record RawFeatures(List<String> categorical, long missing) implements Serializable {
    public RawFeatures {
        categorical = List.copyOf(categorical);
    }
}
