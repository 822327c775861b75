package dev.handoff.cli;

import dev.handoff.config.ConfigException;
import dev.handoff.definition.DefinitionException;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code handoff} — the command line. Exit codes: 0 success, 1 runtime failure, 2 invalid input or configuration. */
@Command(name = "handoff", mixinStandardHelpOptions = true, version = "handoff 0.1.0",
        description = "Hands qualified leads from marketing to sales with one shared definition, and sales' verdicts back.",
        subcommands = {RunCommand.class, CheckCommand.class, ValidateCommand.class, ExplainCommand.class,
                DescribeCommand.class, DiffCommand.class, QuarantineCommand.class, SetupCommand.class, BacktestCommand.class,
                ReportCommand.class, BackfillCommand.class})
public final class HandoffCli {

    public static final int OK = 0;
    public static final int RUNTIME_FAILURE = 1;
    public static final int INVALID_INPUT = 2;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new HandoffCli());
        for (CommandProvider p : ServiceLoader.load(CommandProvider.class)) {
            cli.addSubcommand(p.command());
        }
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException || e instanceof DefinitionException) {
                cmd.getErr().println("handoff: invalid configuration: " + e.getMessage());
                return INVALID_INPUT;
            }
            cmd.getErr().println("handoff: " + e.getMessage());
            return RUNTIME_FAILURE;
        });
        cli.setExitCodeExceptionMapper(e -> INVALID_INPUT);
        return cli;
    }
}
