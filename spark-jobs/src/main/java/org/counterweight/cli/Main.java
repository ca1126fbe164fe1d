package org.counterweight.cli;

import java.io.PrintWriter;
import org.counterweight.Version;
import org.counterweight.dl4j.Dl4jRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code counterweight} command line: one subcommand per pipeline stage. Commands are thin;
 * each parses options, calls the stage's Java API and prints.
 *
 * <p>Exit codes: 0 success, 1 failure inside a job, 2 bad input or usage. Errors print one line
 * naming what is at fault; stack traces only with {@code --verbose}.
 */
@Command(name = "counterweight", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Compare ways of handling class imbalance on Spark.",
        subcommands = {
            GenerateCommand.class,
            SplitCommand.class,
            DatasetsCommand.class,
            MetricsCommand.class,
            ResampleCommand.class,
            TrainCommand.class,
            PredictCommand.class,
            ExperimentCommand.class,
            ReportCommand.class,
            StoreCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the CLI and returns the exit code (for tests and embedding). */
    public static int execute(String... args) {
        // Before anything touches ND4J: JavaCPP reads its settings once per JVM.
        Dl4jRuntime.ensureConfigured();
        CommandLine cli = commandLine();
        cli.setExecutionExceptionHandler(new ErrorReporter());
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            err.println("(see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return cli.execute(args);
    }

    /** The command line with every subcommand, its options bound to the settings' declarations. */
    static CommandLine commandLine() {
        return SettingOptions.bind(new CommandLine(new Main()));
    }

    public static void main(String[] args) {
        int code = execute(args);
        System.exit(code);
    }

    /** Prints {@link Version#describe()}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"counterweight " + Version.describe()};
        }
    }
}
