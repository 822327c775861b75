package dev.handoff.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.app.ConfigFiles;
import dev.handoff.config.Secret;
import dev.handoff.config.Settings;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerLead;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code handoff quarantine list|replay ID|discard ID}: every lead a system refused, with who
 * refused it and why; replay sends one through the normal path again at the next poll, discard
 * drops it for good. Works on the ledger the configuration names, running sidecar or not.
 */
@Command(name = "quarantine", description = "List, replay or discard leads a system refused.")
public final class QuarantineCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "list, replay or discard")
    String action;

    @Parameters(index = "1", arity = "0..1", description = "the lead's MAP id (replay, discard)")
    String id;

    @Option(names = "--config", description = "application.properties (default: ${DEFAULT-VALUE})",
            defaultValue = "config/application.properties")
    Path config;

    @Option(names = "--json", description = "list: one JSON object on the last line.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!List.of("list", "replay", "discard").contains(action)) {
            throw new dev.handoff.config.ConfigException("quarantine", "'" + action + "' is not one of list, replay, discard");
        }
        if (!"list".equals(action) && (id == null || id.isBlank())) {
            throw new dev.handoff.config.ConfigException("quarantine " + action, "needs the lead's MAP id");
        }
        Settings settings = ConfigFiles.load(config);
        PrintWriter out = spec.commandLine().getOut();
        try (Ledger ledger = Ledger.open(settings.string("handoff.ledger.url", "jdbc:h2:file:./data/handoff-ledger"),
                settings.string("handoff.ledger.user", "sa"), Secret.of(settings.string("handoff.ledger.password", "")),
                Clock.systemUTC())) {
            switch (action) {
                case "list" -> list(ledger, out);
                case "replay" -> {
                    if (!ledger.replay(id)) {
                        spec.commandLine().getErr().println("handoff quarantine: no quarantined lead " + id);
                        return HandoffCli.INVALID_INPUT;
                    }
                    out.println("lead " + id + " goes through the normal path again at the next poll");
                }
                default -> {
                    if (!ledger.discard(id)) {
                        spec.commandLine().getErr().println("handoff quarantine: no quarantined lead " + id);
                        return HandoffCli.INVALID_INPUT;
                    }
                    out.println("lead " + id + " discarded");
                }
            }
        }
        out.flush();
        return HandoffCli.OK;
    }

    private void list(Ledger ledger, PrintWriter out) throws Exception {
        List<Ledger.QuarantineEntry> entries = ledger.quarantineEntries();
        if (json) {
            List<Map<String, Object>> rows = entries.stream().map(e -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", e.mapId());
                m.put("email", LedgerLead.maskEmail(e.email()));
                m.put("system", e.system());
                m.put("code", e.code());
                m.put("message", e.message());
                m.put("stage", e.stage());
                m.put("first_seen", String.valueOf(e.firstSeen()));
                m.put("last_seen", String.valueOf(e.lastSeen()));
                m.put("attempts", e.attempts());
                return m;
            }).toList();
            out.println(new ObjectMapper().writeValueAsString(Map.of("quarantined", rows.size(), "leads", rows)));
            return;
        }
        if (entries.isEmpty()) {
            out.println("no quarantined leads");
            return;
        }
        out.printf("%-12s %-10s %-8s %-28s %-20s %-20s %3s  %s%n", "id", "system", "stage", "code", "first seen", "last seen",
                "n", "message");
        for (Ledger.QuarantineEntry e : entries) {
            out.printf("%-12s %-10s %-8s %-28s %-20s %-20s %3d  %s%n", e.mapId(), e.system(), e.stage(), e.code(),
                    short16(e.firstSeen()), short16(e.lastSeen()), e.attempts(), e.message());
        }
        out.println(entries.size() + " quarantined; replay with: handoff quarantine replay ID, drop with: handoff quarantine discard ID");
    }

    private static String short16(java.time.Instant t) {
        return t == null ? "" : t.toString().substring(0, Math.min(16, t.toString().length())).replace('T', ' ');
    }
}
