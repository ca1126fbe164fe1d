package org.counterweight.settings;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values of some {@link Setting}s; a setting not set here has its default. Values are validated
 * when set, so a held value is always valid. Serializable (values are strings, numbers and
 * booleans) so that configurations travel to executors.
 */
public final class SettingValues implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** The value of {@code s}: the one set, else its default (null for a setting without one). */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> s) {
        return values.containsKey(s.key()) ? (T) values.get(s.key()) : s.defaultValue();
    }

    /** Sets {@code s} to {@code value} after validating it (null: back to the default). */
    public <T> SettingValues set(Setting<T> s, T value) {
        if (value == null) {
            values.remove(s.key());
        } else {
            values.put(s.key(), s.validate(value));
        }
        return this;
    }

    /** Key → value as text of {@code settings}, in their order, leaving out those without a value. */
    public Map<String, String> describe(List<Setting<?>> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting<?> s : settings) {
            Object v = get(s);
            if (v != null) {
                out.put(s.key(), String.valueOf(v));
            }
        }
        return out;
    }
}
