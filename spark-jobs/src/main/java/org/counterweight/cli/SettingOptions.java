package org.counterweight.cli;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.stream.Stream;
import org.counterweight.data.DataSettings;
import org.counterweight.evaluate.EvaluationSettings;
import org.counterweight.experiment.ExperimentSettings;
import org.counterweight.settings.Setting;
import org.counterweight.train.TrainingSettings;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Binds command-line options to the one declaration of each setting: an option whose long name
 * is a setting's key ({@code --epochs}, {@code --seed}, {@code --label-col}, ...) takes its
 * default and its help text from the {@link Setting}, so that {@code train}, {@code experiment}
 * configs and the Java API cannot disagree. Such options carry neither {@code defaultValue} nor
 * {@code description} in their annotation.
 */
final class SettingOptions {
    /** Every setting a command may expose, by key. */
    static final Map<String, Setting<?>> BY_KEY = byKey(Stream.of(TrainingSettings.ALL, ExperimentSettings.ALL,
            DataSettings.GENERATOR, DataSettings.PREPARATION, List.<Setting<?>>of(DataSettings.LABEL_COL, EvaluationSettings.METRIC)));

    private SettingOptions() {
    }

    /** Applies the defaults and help texts to {@code cli} and all its subcommands. */
    static CommandLine bind(CommandLine cli) {
        cli.setDefaultValueProvider(new Defaults());
        cli.setResourceBundle(new Descriptions());
        return cli;
    }

    /** The setting an option stands for, or null. */
    static Setting<?> of(OptionSpec o) {
        return BY_KEY.get(o.longestName().replaceFirst("^--", ""));
    }

    private static Map<String, Setting<?>> byKey(Stream<List<Setting<?>>> lists) {
        Map<String, Setting<?>> m = new LinkedHashMap<>();
        lists.flatMap(List::stream).forEach(s -> {
            Setting<?> before = m.putIfAbsent(s.key(), s);
            if (before != null && before != s) {
                throw new IllegalStateException("two settings declare the key " + s.key());
            }
        });
        return Collections.unmodifiableMap(m);
    }

    /** Defaults from the settings. */
    private static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (arg instanceof OptionSpec o) {
                Setting<?> s = of(o);
                return s == null ? null : s.defaultText();
            }
            return null;
        }
    }

    /** Help texts from the settings, keyed by option name as picocli looks them up. */
    private static final class Descriptions extends ResourceBundle {
        @Override
        protected Object handleGetObject(String key) {
            Setting<?> s = BY_KEY.get(key);
            if (s == null) {
                return null;
            }
            boolean shown = s.defaultValue() != null && !(s.defaultValue() instanceof Boolean);
            return shown ? s.doc() + " Default: ${DEFAULT-VALUE}." : s.doc();
        }

        @Override
        public Enumeration<String> getKeys() {
            return Collections.enumeration(BY_KEY.keySet());
        }
    }
}
