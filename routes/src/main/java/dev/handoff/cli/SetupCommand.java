package dev.handoff.cli;

import dev.handoff.app.ConfigFiles;
import dev.handoff.error.ConnectorException;
import dev.handoff.hubspot.HubSpotClient;
import dev.handoff.hubspot.HubSpotConfig;
import dev.handoff.hubspot.HubSpotSetup;
import dev.handoff.transport.JdkHttpTransport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code handoff setup hubspot}: creates, in the MAP, the fields where marketing sees sales'
 * verdicts, if they are missing. Safe to run again; never changes a field that already exists.
 * Exit 0 when every field is in place, 2 when one exists with another type or the token or its
 * scopes are wrong, 1 when HubSpot could not be reached.
 */
@Command(name = "setup", description = "Create the feedback fields Handoff writes in the MAP, if missing "
        + "(exit 0 ready, 2 a field conflicts or the credentials are refused, 1 unreachable). Safe to re-run.")
public final class SetupCommand implements Callable<Integer> {

    /** The systems setup knows; Marketo fields are created by an admin in Field Management. */
    enum Target { hubspot }

    @Parameters(index = "0", paramLabel = "SYSTEM", description = "Which MAP to prepare: ${COMPLETION-CANDIDATES}.")
    Target target;

    @Option(names = "--config", description = "application.properties (default: ${DEFAULT-VALUE})",
            defaultValue = "config/application.properties")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HubSpotConfig hubspot = HubSpotConfig.from(ConfigFiles.load(config));
        HubSpotClient client = new HubSpotClient(hubspot, new JdkHttpTransport(hubspot.timeout()), Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        out.println("HubSpot (" + hubspot.baseUrl() + ")");
        HubSpotSetup.Report report;
        try {
            report = new HubSpotSetup(client, hubspot).run();
        } catch (ConnectorException e) {
            out.println("  " + e.getMessage());
            out.println(e.isTransient()
                    ? "handoff setup: HubSpot could not be reached; check handoff.hubspot.base-url and the network path to it"
                    : "handoff setup: HubSpot refused the call; check handoff.hubspot.token and that the private app has the "
                            + "crm.schemas.contacts.read and crm.schemas.contacts.write scopes");
            out.flush();
            return e.isTransient() ? HandoffCli.RUNTIME_FAILURE : HandoffCli.INVALID_INPUT;
        }
        report.items().forEach(i -> out.println("  " + i.line()));
        String counts = report.count(HubSpotSetup.Status.CREATED) + " created, " + report.count(HubSpotSetup.Status.EXISTING)
                + " already there";
        if (!report.ok()) {
            out.println("handoff setup: " + counts + ", " + report.count(HubSpotSetup.Status.CONFLICT)
                    + " in the way; fix them and run handoff setup hubspot again");
            out.flush();
            return HandoffCli.INVALID_INPUT;
        }
        out.println("handoff setup: HubSpot is ready (" + counts + ")");
        out.flush();
        return HandoffCli.OK;
    }
}
