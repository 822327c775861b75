package dev.handoff.marketo;

import dev.handoff.error.ConnectorException;
import dev.handoff.preflight.Check;
import dev.handoff.preflight.PreflightReport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code handoff check} for Marketo: a token, and the lead fields the connector reads and the
 * feedback fields it writes, from {@code GET /rest/v1/leads/describe.json}. One identity call and
 * one REST call.
 */
public final class MarketoPreflight {

    private final MarketoConfig config;
    private final MarketoClient client;

    public MarketoPreflight(MarketoConfig config, MarketoClient client) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = Objects.requireNonNull(client, "client");
    }

    public PreflightReport run() {
        List<Check> checks = new ArrayList<>();
        List<String> fields;
        try {
            fields = client.describeLeadFields();
        } catch (ConnectorException e) {
            boolean auth = e.code().startsWith("AUTH_") || "601".equals(e.code()) || "603".equals(e.code());
            if (e.isTransient()) {
                checks.add(Check.fail("Marketo token and lead describe", e.getMessage(), "check handoff.marketo.base-url ("
                        + config.baseUrl() + ") and the network path to it"));
                return new PreflightReport(checks, true);
            }
            checks.add(Check.fail(auth ? "Marketo token" : "Marketo lead describe", e.getMessage(), auth
                    ? "check handoff.marketo.client-id and client-secret (Admin › LaunchPoint › the custom service)"
                    : "give the API user's role the Read-Only Lead and Read-Write Lead permissions"));
            return new PreflightReport(checks, false);
        }
        checks.add(Check.pass("Marketo token", "obtained for client id " + config.clientId() + " at " + config.baseUrl()));
        Set<String> known = new LinkedHashSet<>(fields);
        checks.add(present(known, "Marketo lead fields the intake reads", config.fieldMap().values(),
                "create the missing fields in Admin › Field Management, or map handoff.marketo.field.* to existing ones"));
        checks.add(present(known, "Marketo feedback fields", config.feedback().values(),
                "create the missing fields in Admin › Field Management, or map handoff.marketo.feedback.* to existing ones"));
        return new PreflightReport(checks, false);
    }

    private static Check present(Set<String> known, String what, java.util.Collection<String> wanted, String hint) {
        List<String> sorted = new ArrayList<>(new java.util.TreeSet<>(wanted));
        List<String> missing = sorted.stream().filter(f -> !known.contains(f)).toList();
        if (missing.isEmpty()) {
            return Check.pass(what, String.join(", ", sorted));
        }
        return Check.fail(what, "missing " + String.join(", ", missing), hint);
    }
}
