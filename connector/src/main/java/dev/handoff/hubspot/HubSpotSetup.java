package dev.handoff.hubspot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code handoff setup hubspot}: creates the {@code handoff} property group and the contact
 * properties where marketing sees sales' verdicts, if they are missing. Safe to run any number of
 * times; a property that exists with another type is reported, never changed (it may hold data).
 */
public final class HubSpotSetup {

    public static final String GROUP = "handoff";
    public static final String GROUP_LABEL = "Handoff";

    private final HubSpotClient client;
    private final HubSpotConfig config;

    public enum Status { CREATED, EXISTING, CONFLICT }

    /** One group or property and what setup found or did. */
    public record Item(String kind, String name, Status status, String detail) {
        public String line() {
            return kind + " " + name + ": " + status.name().toLowerCase(java.util.Locale.ROOT)
                    + (detail == null ? "" : " (" + detail + ")");
        }
    }

    public record Report(List<Item> items) {
        public Report {
            items = List.copyOf(items);
        }

        public long count(Status status) {
            return items.stream().filter(i -> i.status() == status).count();
        }

        public boolean ok() {
            return count(Status.CONFLICT) == 0;
        }
    }

    public HubSpotSetup(HubSpotClient client, HubSpotConfig config) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The feedback properties Handoff writes, by feedback role, named as configured. */
    public static Map<String, HubSpotClient.Property> properties(HubSpotConfig config) {
        Map<String, String> n = config.feedback();
        Map<String, HubSpotClient.Property> p = new LinkedHashMap<>();
        p.put("sales_status", text(n.get("sales_status"), "Handoff sales status", "text"));
        p.put("reject_reason", text(n.get("reject_reason"), "Handoff reject reason", "text"));
        p.put("reject_comment", text(n.get("reject_comment"), "Handoff reject comment", "textarea"));
        p.put("accepted_at", new HubSpotClient.Property(n.get("accepted_at"), "Handoff accepted at", "datetime", "date", GROUP, null));
        p.put("sales_owner", text(n.get("sales_owner"), "Handoff sales owner", "text"));
        p.put("outcome", new HubSpotClient.Property(n.get("outcome"), "Handoff outcome", "enumeration", "select", GROUP,
                List.of("opportunity", "won", "lost")));
        p.put("outcome_amount", new HubSpotClient.Property(n.get("outcome_amount"), "Handoff outcome amount", "number", "number",
                GROUP, null));
        p.put("sla_breached", new HubSpotClient.Property(n.get("sla_breached"), "Handoff SLA breached", "bool",
                "booleancheckbox", GROUP, List.of("true", "false")));
        return p;
    }

    public Report run() {
        List<Item> items = new ArrayList<>();
        items.add(new Item("group", GROUP, client.createContactPropertyGroup(GROUP, GROUP_LABEL) ? Status.CREATED : Status.EXISTING,
                null));
        Map<String, HubSpotClient.Property> existing = new LinkedHashMap<>();
        client.listContactProperties().forEach(p -> existing.put(p.name(), p));
        for (HubSpotClient.Property wanted : properties(config).values()) {
            HubSpotClient.Property found = existing.get(wanted.name());
            if (found == null) {
                boolean created = client.createContactProperty(wanted,
                        "Written by Handoff from the sales verdict in Salesforce; do not edit.");
                items.add(new Item("property", wanted.name(), created ? Status.CREATED : Status.EXISTING, null));
            } else {
                items.add(compare(wanted, found));
            }
        }
        return new Report(items);
    }

    private static Item compare(HubSpotClient.Property wanted, HubSpotClient.Property found) {
        if (!wanted.type().equals(found.type())) {
            return new Item("property", wanted.name(), Status.CONFLICT,
                    "is of type " + found.type() + ", Handoff writes " + wanted.type() + "; rename it or set handoff.hubspot.feedback.<role>");
        }
        List<String> missing = new ArrayList<>(wanted.options());
        missing.removeAll(found.options());
        if (!missing.isEmpty()) {
            return new Item("property", wanted.name(), Status.CONFLICT, "lacks the options " + missing);
        }
        return new Item("property", wanted.name(), Status.EXISTING, null);
    }

    private static HubSpotClient.Property text(String name, String label, String fieldType) {
        return new HubSpotClient.Property(name, label, "string", fieldType, GROUP, null);
    }
}
