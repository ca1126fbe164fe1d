package org.counterweight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.counterweight.settings.Setting;
import org.counterweight.train.TrainingSettings;
import org.junit.jupiter.api.Test;

/** The settings' declarations: every default is valid, and errors name the setting. */
class SettingsTest {
    @Test
    void everyDefaultPassesItsOwnValidation() {
        for (Setting<?> s : SettingOptions.BY_KEY.values()) {
            check(s);
            assertFalse(s.doc().isBlank(), s.key() + " has no doc");
        }
    }

    private static <T> void check(Setting<T> s) {
        assertEquals(s.defaultValue(), s.validate(s.defaultValue()), s.key());
    }

    @Test
    void errorsNameTheSetting() {
        assertEquals("epochs: must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> TrainingSettings.EPOCHS.parse("0")).getMessage());
        assertEquals("batch-size: 'many' is not a valid value",
                assertThrows(IllegalArgumentException.class, () -> TrainingSettings.BATCH_SIZE.parse("many")).getMessage());
        assertEquals("sampler: 'smote' is not one of none|class-balanced|sqrt",
                assertThrows(IllegalArgumentException.class, () -> TrainingSettings.SAMPLER.parse("SMOTE")).getMessage());
        assertEquals("repartition: 'maybe' is not true or false",
                assertThrows(IllegalArgumentException.class, () -> TrainingSettings.REPARTITION.parse("maybe")).getMessage());
    }
}
