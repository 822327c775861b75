package dev.handoff.demo;

import dev.handoff.cli.HandoffCli;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.marketo.DemoLeadGenerator;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code handoff sandbox}: both emulators in real time until stopped, for trying {@code handoff run} by hand. */
@Command(name = "sandbox", description = "Start the Salesforce and Marketo emulators on loopback until stopped.")
public final class SandboxCommand implements Callable<Integer> {

    @Option(names = "--leads", defaultValue = "100", description = "Leads in the emulated Marketo (default ${DEFAULT-VALUE}).")
    int leads;

    @Mixin
    EmulationOptions emulation;

    @Option(names = "--port", defaultValue = "8089", description = "Loopback port (default ${DEFAULT-VALUE}; 0 picks one).")
    int port;


    @Option(names = "--write-config", description = "Write an application.properties pointing at the sandbox here.")
    Path writeConfig;


    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        boolean hubspot = emulation.hubspot();
        Path def = emulation.definitionPath();
        Definition d = DefinitionLoader.load(def);
        SalesforceEmulator.Settings sf = EmulatedReps.forDefinition(d, Duration.ofSeconds(20), Duration.ofSeconds(120), emulation.seed);
        MarketoEmulator.Settings mk = MarketoEmulator.Settings.defaults();
        dev.handoff.emulator.hubspot.HubSpotEmulator.Settings hs = dev.handoff.emulator.hubspot.HubSpotEmulator.Settings.defaults();
        Clock world = Clock.systemUTC();
        PrintWriter out = spec.commandLine().getOut();
        try (Sandbox sandbox = (hubspot ? Sandbox.withHubSpot(world, sf, hs, port) : new Sandbox(world, sf, mk, port)).start()) {
            if (hubspot) {
                sandbox.hubspot().seed(DemoLeadGenerator.generate(emulation.seed, leads, 0, world.instant()));
            } else {
                sandbox.marketo().seed(DemoLeadGenerator.generate(emulation.seed, leads, 0, world.instant()));
            }
            Map<String, String> props = new java.util.LinkedHashMap<>(hubspot ? sandbox.connectorProperties(sf, hs)
                    : sandbox.connectorProperties(sf, mk));
            if (hubspot) {
                props.put("handoff.map", "hubspot");
                props.put("handoff.hubspot.index-lag", "0s");
            }
            StringBuilder config = new StringBuilder("# Written by `handoff sandbox`: points the connector at the local emulators.\n");
            props.forEach((k, v) -> config.append(k).append('=').append(v).append('\n'));
            config.append("handoff.definition=").append(def).append('\n');
            config.append("handoff.ledger.url=jdbc:h2:file:./data/sandbox-ledger\n");
            config.append("handoff.intake.interval=15s\nhandoff.disposition.interval=15s\n");
            config.append(hubspot ? "handoff.hubspot.intake-since=" : "handoff.marketo.intake-since=")
                    .append(world.instant().minus(Duration.ofDays(365))).append('\n');
            if (writeConfig != null) {
                Files.writeString(writeConfig, config.toString(), StandardCharsets.UTF_8);
                out.println("wrote " + writeConfig + "; run: " + (hubspot ? "./handoff setup hubspot --config " + writeConfig
                        + " && " : "") + "./handoff run --config " + writeConfig);
            } else {
                out.print(config);
            }
            out.println("sandbox listening at " + sandbox.baseUrl() + " with " + leads + (hubspot ? " HubSpot contacts" : " Marketo leads"));
            out.println("state: GET " + sandbox.baseUrl() + "/sandbox/state  (Ctrl-C stops)");
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "sandbox-shutdown"));
            stop.await();
        }
        return HandoffCli.OK;
    }
}
