package dev.handoff.salesforce;

import dev.handoff.definition.Definition;
import dev.handoff.error.ConnectorException;
import dev.handoff.preflight.Check;
import dev.handoff.preflight.PreflightReport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code handoff check} for Salesforce: obtains a token, describes Lead, Contact and Opportunity
 * and compares what the org has with what the connector writes and reads. Costs one token request
 * and three API calls. Stops early only when going on would be pointless (no token, no Lead).
 */
public final class SalesforcePreflight {

    static final String REJECT_REASON_FIELD = "Reject_Reason__c";
    static final String REJECT_COMMENT_FIELD = "Reject_Comment__c";
    private static final String DEPLOY_HINT = "deploy config/salesforce (sf project deploy start -d config/salesforce) "
            + "and assign the permission set Handoff_Integration to the integration user";
    private static final String PERMISSION_HINT = "assign the permission set Handoff_Integration "
            + "(config/salesforce) to the integration user";

    private final SalesforceConfig config;
    private final SalesforceAuthenticator authenticator;
    private final SalesforceGateway gateway;
    private final Definition definition;
    private final List<FieldRequirement> written;

    /**
     * @param written the Lead fields the handoff writes besides the external id
     *                ({@code SalesforceLeadWriter.fieldRequirements()})
     */
    public SalesforcePreflight(SalesforceConfig config, SalesforceAuthenticator authenticator, SalesforceGateway gateway,
            Definition definition, List<FieldRequirement> written) {
        this.config = Objects.requireNonNull(config, "config");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.definition = Objects.requireNonNull(definition, "definition");
        this.written = List.copyOf(written);
    }

    public PreflightReport run() {
        List<Check> checks = new ArrayList<>();
        SalesforceAuthenticator.Session session;
        try {
            session = authenticator.authenticate();
        } catch (ConnectorException e) {
            boolean unreachable = e.isTransient();
            checks.add(Check.fail("Salesforce token", e.getMessage(), unreachable
                    ? "check handoff.salesforce.token-url (" + config.tokenUrl() + ") and the network path to it"
                    : "check handoff.salesforce.client-id and client-secret, and that the connected app allows the "
                            + "client credentials flow with a Run As user"));
            return new PreflightReport(checks, unreachable);
        }
        checks.add(Check.pass("Salesforce token", "obtained for client id " + config.clientId() + "; instance URL "
                + session.instanceUrl()));

        SObjectDescription lead;
        try {
            lead = gateway.describe("Lead");
        } catch (ConnectorException e) {
            checks.add(Check.fail("Lead describable", e.getMessage(), e.isTransient()
                    ? "check that " + session.instanceUrl() + " is reachable and retry"
                    : "give the integration user read, create and edit on Lead (" + PERMISSION_HINT + ")"));
            return new PreflightReport(checks, e.isTransient());
        }
        checks.add(Check.pass("Lead describable", lead.fields().size() + " fields visible to the integration user"));

        checks.add(externalId(lead));
        for (FieldRequirement r : written) {
            checks.add(writable(lead, r));
        }
        checks.add(statuses(lead));
        checks.add(rejectReasons(lead));
        checks.add(readable(lead, "Lead." + REJECT_COMMENT_FIELD + " readable", List.of(REJECT_COMMENT_FIELD)));
        checks.add(readable(lead, "Lead fields the disposition poll reads", List.of("Status", REJECT_REASON_FIELD,
                "OwnerId", "SystemModstamp")));

        boolean unreachable = false;
        Optional<Check> contact = describable("Contact", "dedupe against Contacts by Email", "Email",
                "give the integration user read on Contact (dedupe looks up Contacts by Email)", false);
        if (contact.isEmpty()) {
            unreachable = true;
            checks.add(Check.fail("Contact describable", "Salesforce did not answer", "retry; check the network path"));
        } else {
            checks.add(contact.get());
        }
        Optional<Check> opportunity = describable("Opportunity", "outcomes (won/lost, amount)", "StageName",
                "give the integration user read on Opportunity to report outcomes to marketing", true);
        if (opportunity.isEmpty()) {
            unreachable = true;
            checks.add(Check.fail("Opportunity describable", "Salesforce did not answer", "retry; check the network path"));
        } else {
            checks.add(opportunity.get());
        }
        return new PreflightReport(checks, unreachable);
    }

    private Check externalId(SObjectDescription lead) {
        String name = config.externalIdField();
        String what = "Lead." + name + " external id";
        Optional<SObjectDescription.Field> field = lead.field(name);
        if (field.isEmpty()) {
            return Check.fail(what, "no such field visible on Lead", DEPLOY_HINT
                    + ", or set handoff.salesforce.external-id-field to an existing external id field");
        }
        SObjectDescription.Field f = field.get();
        List<String> wrong = new ArrayList<>();
        if (!f.externalId()) {
            wrong.add("not marked External ID");
        }
        if (!f.unique()) {
            wrong.add("not Unique");
        }
        if (!FieldRequirement.Kind.TEXT.accepts(f.type()) || f.isPicklist()) {
            wrong.add("type " + f.type() + " (the MAP id is text)");
        }
        if (!f.createable() || !f.updateable()) {
            wrong.add("not createable and updateable by the integration user");
        }
        if (wrong.isEmpty()) {
            return Check.pass(what, f.type() + "(" + f.length() + "), external id, unique");
        }
        return Check.fail(what, String.join(", ", wrong), "in Setup › Object Manager › Lead › Fields make " + name
                + " a text field with External ID and Unique set, editable by the integration user (" + PERMISSION_HINT + ")");
    }

    private Check writable(SObjectDescription lead, FieldRequirement r) {
        String what = "Lead." + r.field();
        Optional<SObjectDescription.Field> field = lead.field(r.field());
        if (field.isEmpty()) {
            return Check.fail(what, "no such field visible on Lead", DEPLOY_HINT);
        }
        SObjectDescription.Field f = field.get();
        String shape = f.length() > 0 ? f.type() + "(" + f.length() + ")" : f.type();
        if (!r.kind().accepts(f.type())) {
            return Check.fail(what, "is " + shape + "; the connector writes " + r.kind().name().toLowerCase(java.util.Locale.ROOT),
                    "change " + r.field() + " to one of " + new java.util.TreeSet<>(r.kind().compatibleTypes()));
        }
        if (!f.createable() || !f.updateable()) {
            return Check.fail(what, shape + (f.createable() ? "" : ", not createable") + (f.updateable() ? "" : ", not updateable"),
                    "give the integration user edit access to Lead." + r.field() + " (" + PERMISSION_HINT + ")");
        }
        if (r.kind() == FieldRequirement.Kind.TEXT && !f.isPicklist() && f.length() < r.minLength()) {
            return Check.fail(what, "holds " + f.length() + " characters; the connector needs " + r.minLength(),
                    "raise the length of Lead." + r.field() + " to at least " + r.minLength());
        }
        return Check.pass(what, shape + ", createable, updateable");
    }

    private Check statuses(SObjectDescription lead) {
        String what = "Lead.Status picklist";
        Optional<SObjectDescription.Field> field = lead.field("Status");
        if (field.isEmpty()) {
            return Check.fail(what, "Status is not visible", "give the integration user read on Lead.Status");
        }
        Set<String> wanted = new LinkedHashSet<>(config.acceptedStatuses());
        wanted.addAll(config.rejectedStatuses());
        List<String> missing = wanted.stream().filter(s -> !field.get().picklistValues().contains(s)).toList();
        if (missing.isEmpty()) {
            return Check.pass(what, "holds " + String.join(", ", wanted));
        }
        return Check.fail(what, "lacks " + String.join(", ", missing), "add " + quoted(missing)
                + " to the Lead Status picklist, or change handoff.salesforce.accepted-statuses / rejected-statuses "
                + "to the statuses sales uses");
    }

    private Check rejectReasons(SObjectDescription lead) {
        String what = "Lead." + REJECT_REASON_FIELD + " picklist";
        Optional<SObjectDescription.Field> field = lead.field(REJECT_REASON_FIELD);
        if (field.isEmpty()) {
            return Check.fail(what, "no such field visible on Lead", DEPLOY_HINT);
        }
        SObjectDescription.Field f = field.get();
        if (!f.isPicklist()) {
            return Check.fail(what, "is " + f.type() + ", not a picklist",
                    "make " + REJECT_REASON_FIELD + " a restricted picklist of the definition's reject reasons");
        }
        List<String> missing = definition.rejectReasons().keySet().stream()
                .filter(r -> !f.picklistValues().contains(r)).toList();
        if (missing.isEmpty()) {
            return Check.pass(what, "holds all " + definition.rejectReasons().size() + " reject reasons of "
                    + definition.label() + (f.restrictedPicklist() ? " (restricted)" : ""));
        }
        return Check.fail(what, "lacks " + String.join(", ", missing) + " (reject reasons of " + definition.label() + ")",
                "add " + quoted(missing) + " to the " + REJECT_REASON_FIELD + " picklist values (config/salesforce/"
                        + "force-app/main/default/objects/Lead/fields/" + REJECT_REASON_FIELD + ".field-meta.xml) and "
                        + "deploy, or remove them from reject_reasons in the definition");
    }

    private static Check readable(SObjectDescription lead, String what, List<String> fields) {
        List<String> missing = fields.stream().filter(f -> lead.field(f).isEmpty()).toList();
        if (missing.isEmpty()) {
            return Check.pass(what, String.join(", ", fields));
        }
        return Check.fail(what, "not visible: " + String.join(", ", missing),
                "give the integration user read on Lead." + String.join(", Lead.", missing) + " (" + PERMISSION_HINT + ")");
    }

    /** Empty when Salesforce could not be reached. */
    private Optional<Check> describable(String type, String purpose, String field, String hint, boolean optional) {
        String what = type + " describable";
        SObjectDescription d;
        try {
            d = gateway.describe(type);
        } catch (ConnectorException e) {
            if (e.isTransient()) {
                return Optional.empty();
            }
            if (optional && "INVALID_TYPE".equals(e.code())) {
                return Optional.of(Check.notChecked(what, type + " is not available to the integration user; "
                        + purpose + " stay off", hint));
            }
            return Optional.of(Check.fail(what, e.getMessage(), hint));
        }
        if (d.field(field).isEmpty()) {
            return Optional.of(Check.fail(what, type + "." + field + " is not visible", hint));
        }
        return Optional.of(Check.pass(what, purpose + "; " + d.fields().size() + " fields visible"));
    }

    private static String quoted(List<String> values) {
        return String.join(", ", values.stream().map(v -> "'" + v + "'").toList());
    }
}
