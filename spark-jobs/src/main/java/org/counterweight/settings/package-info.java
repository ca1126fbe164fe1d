/**
 * The one declaration of every setting ({@link org.counterweight.settings.Setting}: key, doc,
 * default, validation). The settings themselves are declared next to the stage they configure:
 * {@code train.TrainingSettings}, {@code experiment.ExperimentSettings},
 * {@code data.DataSettings}; {@link org.counterweight.settings.SettingValues} holds a set of
 * values, and the CLI, the experiment config reader and the Java API all go through them.
 */
package org.counterweight.settings;
