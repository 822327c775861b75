package dev.handoff.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code handoff} command line in-process and captures what it prints. */
record Cli(int code, String out, String err) {

    static final String DEFINITION = "../config/qualification.yaml";
    static final String LEAD = "../config/examples/lead.json";

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = HandoffCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    /** The last non-empty line of standard output: where {@code --json} puts its object. */
    String lastLine() {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }
}
