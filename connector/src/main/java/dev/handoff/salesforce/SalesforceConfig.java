package dev.handoff.salesforce;

import dev.handoff.config.Secret;
import dev.handoff.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The Salesforce side, from {@code handoff.salesforce.*}. Authentication is OAuth 2.0 client
 * credentials against {@code token-url}; the token and {@code instance_url} drive WSC.
 */
public record SalesforceConfig(URI tokenUrl, AuthMode auth, String clientId, Secret clientSecret, String username,
        Secret password, Secret jwtPrivateKey, String jwtAudience, String apiVersion,
        String externalIdField, List<String> acceptedStatuses, List<String> rejectedStatuses, String leadSource,
        Instant dispositionSince, int upsertBatchSize, int queryBatchSize, Duration timeout, Duration sessionTimeout,
        String assignmentRule, boolean duplicateRuleAllowSave, int dedupeBatchSize, DedupePolicy existingLead,
        DedupePolicy existingContact, int recordRetries, double apiBudgetShare, Duration limitBackoff, int callRetries,
        Duration callRetryDelay, int maxConcurrent) {

    /** How Handoff gets its Salesforce session. */
    public enum AuthMode {
        /** OAuth 2.0 client credentials (connected app with a Run-As user). */
        CLIENT_CREDENTIALS,
        /** OAuth 2.0 JWT bearer: an RS256 assertion signed with the app's private key, no secret on the wire. */
        JWT,
        /** SOAP login() with username and password + security token; sandboxes on API versions before 65.0 only. */
        PASSWORD
    }

    /** What to do when an MQL's email already belongs to a record in Salesforce. */
    public enum DedupePolicy {
        /** Existing open Lead: write onto it and attach our external id. */
        ATTACH,
        /** Existing Contact: create no Lead, record EXISTING_CONTACT and tell marketing. */
        SKIP,
        /** Ignore the match and create a Lead anyway (Salesforce duplicate rules still apply). */
        CREATE
    }

    public static SalesforceConfig from(Settings s) {
        AuthMode auth = authMode(s);
        return new SalesforceConfig(s.uri("handoff.salesforce.token-url"), auth,
                auth == AuthMode.PASSWORD ? s.string("handoff.salesforce.client-id", "") : s.required("handoff.salesforce.client-id"),
                auth == AuthMode.CLIENT_CREDENTIALS ? s.secret("handoff.salesforce.client-secret") : null,
                auth == AuthMode.CLIENT_CREDENTIALS ? s.string("handoff.salesforce.username", "")
                        : s.required("handoff.salesforce.username"),
                auth == AuthMode.PASSWORD ? s.secret("handoff.salesforce.password") : null,
                auth == AuthMode.JWT ? jwtKey(s) : null,
                s.string("handoff.salesforce.jwt.audience", "https://login.salesforce.com"),
                s.string("handoff.salesforce.api-version", "65.0"),
                s.string("handoff.salesforce.external-id-field", "Handoff_External_Id__c"),
                list(s.string("handoff.salesforce.accepted-statuses", "Working - Contacted")),
                list(s.string("handoff.salesforce.rejected-statuses", "Closed - Not Converted")),
                s.string("handoff.salesforce.lead-source", "Marketing"),
                s.instant("handoff.salesforce.disposition-since", Instant.parse("2000-01-01T00:00:00Z")),
                s.integer("handoff.salesforce.upsert-batch-size", 200, 1, 200),
                s.integer("handoff.salesforce.query-batch-size", 2000, 200, 2000),
                s.duration("handoff.salesforce.timeout", Duration.ofSeconds(120)),
                s.duration("handoff.salesforce.session-timeout", Duration.ofHours(2)),
                s.string("handoff.salesforce.assignment-rule", "default"),
                s.bool("handoff.salesforce.duplicate-rule-allow-save", false),
                s.integer("handoff.salesforce.dedupe-batch-size", 1000, 1, 2000),
                policy(s, "handoff.salesforce.dedupe.existing-lead", DedupePolicy.ATTACH),
                policy(s, "handoff.salesforce.dedupe.existing-contact", DedupePolicy.SKIP),
                s.integer("handoff.salesforce.record-retries", 2, 0, 10),
                s.integer("handoff.salesforce.api-budget-percent", 20, 1, 100) / 100.0,
                s.duration("handoff.salesforce.limit-backoff", Duration.ofMinutes(5)),
                s.integer("handoff.salesforce.call-retries", 2, 0, 10),
                s.duration("handoff.salesforce.call-retry-delay", Duration.ofMillis(500)),
                s.integer("handoff.salesforce.max-concurrent", 5, 1, 10));
    }

    private static AuthMode authMode(Settings s) {
        String v = s.string("handoff.salesforce.auth", "client-credentials");
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "client-credentials" -> AuthMode.CLIENT_CREDENTIALS;
            case "jwt" -> AuthMode.JWT;
            case "password" -> AuthMode.PASSWORD;
            default -> throw new dev.handoff.config.ConfigException("handoff.salesforce.auth",
                    "'" + v + "' is not one of client-credentials, jwt, password");
        };
    }

    /** The PEM private key, inline (from an environment variable) or from a file. */
    private static Secret jwtKey(Settings s) {
        java.util.Optional<String> inline = s.optional("handoff.salesforce.jwt.private-key");
        if (inline.isPresent()) {
            return Secret.of(inline.get());
        }
        String file = s.optional("handoff.salesforce.jwt.private-key-file").orElseThrow(() ->
                new dev.handoff.config.ConfigException("handoff.salesforce.jwt.private-key-file",
                        "is required for auth=jwt (or set handoff.salesforce.jwt.private-key)"));
        try {
            return Secret.of(java.nio.file.Files.readString(java.nio.file.Path.of(file)));
        } catch (java.io.IOException e) {
            throw new dev.handoff.config.ConfigException("handoff.salesforce.jwt.private-key-file",
                    "cannot read '" + file + "' (" + e.getMessage() + ")");
        }
    }

    private static DedupePolicy policy(Settings s, String key, DedupePolicy fallback) {
        String v = s.string(key, fallback.name()).toUpperCase(java.util.Locale.ROOT);
        try {
            return DedupePolicy.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new dev.handoff.config.ConfigException(key, "'" + v.toLowerCase(java.util.Locale.ROOT)
                    + "' is not one of attach, skip, create");
        }
    }

    public SalesforceConfig {
        acceptedStatuses = List.copyOf(acceptedStatuses);
        rejectedStatuses = List.copyOf(rejectedStatuses);
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    @Override
    public String toString() {
        return "SalesforceConfig[" + tokenUrl + ", client " + clientId + ", secret " + clientSecret + "]";
    }
}
