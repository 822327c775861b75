package dev.handoff.cli;

import dev.handoff.definition.DefinitionException;
import dev.handoff.definition.DefinitionLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Checks qualification definition files the way the sidecar does before it starts, and lists every
 * problem as {@code FILE:LINE:COL: key: message} so editors and CI can jump to each one.
 */
@Command(name = "validate", description = "Check qualification definition files; list every problem as FILE:LINE:COL: key: message.")
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Definition YAML files to check.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean allValid = true;
        for (Path file : files) {
            List<DefinitionException.Problem> problems = DefinitionLoader.validate(file);
            if (problems.isEmpty()) {
                out.println(file + ": ok (" + DefinitionLoader.load(file).label() + ")");
                continue;
            }
            allValid = false;
            for (DefinitionException.Problem p : problems) {
                err.println(p);
            }
        }
        out.flush();
        err.flush();
        return allValid ? HandoffCli.OK : HandoffCli.INVALID_INPUT;
    }
}
