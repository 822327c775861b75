package dev.handoff.cli;

import dev.handoff.app.ConfigFiles;
import dev.handoff.config.Settings;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.flow.SalesforceLeadWriter;
import dev.handoff.marketo.MarketoClient;
import dev.handoff.marketo.MarketoConfig;
import dev.handoff.marketo.MarketoPreflight;
import dev.handoff.preflight.Check;
import dev.handoff.preflight.PreflightReport;
import dev.handoff.salesforce.SalesforceAuthenticator;
import dev.handoff.salesforce.SalesforceConfig;
import dev.handoff.salesforce.SalesforceGateway;
import dev.handoff.salesforce.SalesforcePreflight;
import dev.handoff.transport.JdkHttpTransport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Preflight: logs in to Salesforce and Marketo with the configured credentials and checks that
 * the fields, picklists and permissions the connector needs are there. Prints one line per check
 * with a fix for each failure. Exit 0 when everything is in place, 2 when something is
 * misconfigured, 1 when a system could not be reached. Changes nothing in either system.
 */
@Command(name = "check", description = "Log in to Salesforce and Marketo and verify the fields, picklists and "
        + "permissions the connector needs (exit 0 ok, 2 misconfigured, 1 unreachable).")
public final class CheckCommand implements Callable<Integer> {

    @Option(names = "--config", description = "application.properties (default: ${DEFAULT-VALUE})",
            defaultValue = "config/application.properties")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Settings settings = ConfigFiles.load(config);
        Definition definition = DefinitionLoader.load(Path.of(settings.string("handoff.definition", "config/qualification.yaml")));
        SalesforceConfig salesforceConfig = SalesforceConfig.from(settings);
        MarketoConfig marketoConfig = MarketoConfig.from(settings);
        Clock clock = Clock.systemUTC();

        JdkHttpTransport salesforceTransport = new JdkHttpTransport(salesforceConfig.timeout());
        SalesforceAuthenticator authenticator = new SalesforceAuthenticator(salesforceConfig, salesforceTransport);
        SalesforceGateway gateway = new SalesforceGateway(salesforceConfig, authenticator, clock);
        PreflightReport salesforce = new SalesforcePreflight(salesforceConfig, authenticator, gateway, definition,
                SalesforceLeadWriter.fieldRequirements()).run();
        PreflightReport marketo = new MarketoPreflight(marketoConfig,
                new MarketoClient(marketoConfig, new JdkHttpTransport(marketoConfig.timeout()), clock)).run();

        PrintWriter out = spec.commandLine().getOut();
        out.println("Salesforce (" + salesforceConfig.tokenUrl() + ")");
        salesforce.checks().forEach(c -> out.println("  " + c.line()));
        out.println("Marketo (" + marketoConfig.baseUrl() + ")");
        marketo.checks().forEach(c -> out.println("  " + c.line()));
        PreflightReport all = salesforce.and(marketo);
        long failed = all.failures().size();
        long notChecked = all.checks().stream().filter(Check::isNotChecked).count();
        String skipped = notChecked == 0 ? "" : ", " + notChecked + " not checked";
        if (all.unreachable()) {
            out.println("handoff check: a system could not be reached (" + failed + " of " + all.checks().size()
                    + " checks failed" + skipped + ")");
            out.flush();
            return HandoffCli.RUNTIME_FAILURE;
        }
        if (failed > 0) {
            out.println("handoff check: " + failed + " of " + all.checks().size() + " checks failed" + skipped
                    + "; fix them and run handoff check again");
            out.flush();
            return HandoffCli.INVALID_INPUT;
        }
        out.println("handoff check: all " + all.checks().size() + " checks passed" + skipped);
        out.flush();
        return HandoffCli.OK;
    }
}
