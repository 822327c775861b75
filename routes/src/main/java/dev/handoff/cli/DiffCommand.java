package dev.handoff.cli;

import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionDiff;
import dev.handoff.definition.DefinitionLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Says in words what changed between two definition versions, for the signatories' review. Exits 0
 * whenever both files load: a difference is the expected outcome, not a failure.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Say in words what changed between two definitions: thresholds, points, criteria added or removed, SLA, reasons.")
public final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD", description = "The definition in force.")
    Path before;

    @Parameters(index = "1", paramLabel = "NEW", description = "The proposed definition.")
    Path after;

    @Override
    public Integer call() {
        Definition a = DefinitionLoader.load(before);
        Definition b = DefinitionLoader.load(after);
        PrintWriter out = spec.commandLine().getOut();
        out.print(DefinitionDiff.text(DefinitionDiff.compare(a, b)));
        out.flush();
        return HandoffCli.OK;
    }
}
