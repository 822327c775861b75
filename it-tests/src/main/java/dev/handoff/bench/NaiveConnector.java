package dev.handoff.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.QueryResult;
import com.sforce.soap.partner.SaveResult;
import com.sforce.soap.partner.sobject.SObject;
import com.sforce.ws.ConnectionException;
import com.sforce.ws.ConnectorConfig;
import dev.handoff.engine.Activity;
import dev.handoff.engine.Lead;
import dev.handoff.engine.QualificationEngine;
import dev.handoff.definition.Definition;
import dev.handoff.marketo.MarketoConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The integration most teams write first, for comparison: one lead per call, no batching, one call
 * after the other. For each lead it reads the lead and its activities from Marketo, scores it with
 * the same definition, and for an MQL looks the email up in Salesforce and creates the Lead; then it
 * asks Salesforce for each Lead's status until sales decided, and writes each verdict back to
 * Marketo with its own update call. When Marketo answers 606 or 615 it waits a whole rate window
 * and tries again, as such integrations do.
 */
public final class NaiveConnector {

    /** What the naive route did. */
    public record Result(int leads, int handedOff, int decided, long marketoCalls, long salesforceCalls,
            long marketoRefusals, Duration wall) {
    }

    private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private final MarketoConfig marketo;
    private final QualificationEngine engine;
    private final String salesforceBase;
    private final String salesforceClientId;
    private final String salesforceSecret;
    private final List<String> accepted;
    private final List<String> rejected;
    private final Clock clock;
    private final Duration rateWindow;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private String marketoToken;
    private PartnerConnection salesforce;
    private long marketoCalls;
    private long salesforceCalls;
    private long refusals;

    public NaiveConnector(MarketoConfig marketo, Definition definition, String salesforceBase, String salesforceClientId,
            String salesforceSecret, List<String> accepted, List<String> rejected, Clock clock, Duration rateWindow) {
        this.marketo = marketo;
        this.engine = new QualificationEngine(definition);
        this.salesforceBase = salesforceBase;
        this.salesforceClientId = salesforceClientId;
        this.salesforceSecret = salesforceSecret;
        this.accepted = List.copyOf(accepted);
        this.rejected = List.copyOf(rejected);
        this.clock = clock;
        this.rateWindow = rateWindow;
    }

    /** Runs the whole route over these Marketo lead ids and returns once every verdict is in Marketo. */
    public Result run(List<Integer> leadIds, Duration timeout) throws IOException, InterruptedException, ConnectionException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        marketoToken = marketoToken();
        salesforce = salesforceConnection();
        String pagingToken = marketoGet("/rest/v1/activities/pagingtoken.json",
                Map.of("sinceDatetime", marketo.intakeSince().toString())).path("nextPageToken").asText();
        Map<Integer, String> created = new LinkedHashMap<>();
        for (int id : leadIds) {
            JsonNode lead = marketoGet("/rest/v1/lead/" + id + ".json", Map.of("fields", String.join(",",
                    marketo.fieldMap().values()))).path("result").path(0);
            if (lead.isMissingNode()) {
                continue;
            }
            Map<String, String> fields = fields(lead);
            List<Activity> activities = activities(id, pagingToken);
            if (!engine.evaluate(new Lead(String.valueOf(id), fields), activities, clock.instant()).mql()) {
                continue;
            }
            String email = fields.getOrDefault("email", "");
            salesforceCalls++;
            QueryResult existing = salesforce.query("SELECT Id FROM Lead WHERE Email = '" + email.replace("'", "\\'") + "'");
            if (existing.getSize() > 0) {
                continue;
            }
            SObject crm = new SObject("Lead");
            crm.setField("Handoff_External_Id__c", String.valueOf(id));
            crm.setField("LastName", fields.getOrDefault("last_name", "Unknown"));
            crm.setField("FirstName", fields.get("first_name"));
            crm.setField("Company", fields.getOrDefault("company", "Unknown"));
            crm.setField("Email", email);
            crm.setField("LeadSource", "Marketo");
            salesforceCalls++;
            SaveResult[] saved = salesforce.create(new SObject[] {crm});
            if (saved.length == 1 && saved[0].isSuccess()) {
                created.put(id, saved[0].getId());
            }
            checkTime(deadline);
        }
        int decided = 0;
        while (!created.isEmpty()) {
            boolean any = false;
            for (var it = created.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                salesforceCalls++;
                QueryResult r = salesforce.query("SELECT Id, Status, Reject_Reason__c FROM Lead WHERE Id = '" + e.getValue() + "'");
                if (r.getSize() == 0) {
                    it.remove();
                    continue;
                }
                SObject row = r.getRecords()[0];
                String status = (String) row.getField("Status");
                if (accepted.contains(status) || rejected.contains(status)) {
                    writeVerdict(e.getKey(), status, (String) row.getField("Reject_Reason__c"));
                    it.remove();
                    decided++;
                    any = true;
                }
                checkTime(deadline);
            }
            if (!any && !created.isEmpty()) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }
        return new Result(leadIds.size(), decided, decided, marketoCalls, salesforceCalls, refusals,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static void checkTime(long deadline) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the naive route did not finish within its time limit");
        }
    }

    private Map<String, String> fields(JsonNode lead) {
        Map<String, String> out = new LinkedHashMap<>();
        marketo.fieldMap().forEach((normalized, name) -> {
            JsonNode v = lead.get(name);
            if (v != null && !v.isNull() && !v.asText().isBlank()) {
                out.put(normalized, v.isNumber() ? v.decimalValue().stripTrailingZeros().toPlainString() : v.asText().strip());
            }
        });
        return out;
    }

    private List<Activity> activities(int leadId, String token) throws IOException, InterruptedException {
        List<Activity> out = new ArrayList<>();
        String next = token;
        while (true) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("nextPageToken", next);
            q.put("activityTypeIds", marketo.activityTypeIds().stream().map(String::valueOf).collect(Collectors.joining(",")));
            q.put("leadIds", String.valueOf(leadId));
            JsonNode page = marketoGet("/rest/v1/activities.json", q);
            for (JsonNode a : page.path("result")) {
                int type = a.path("activityTypeId").asInt();
                marketo.definitionType(type, a.path("primaryAttributeValue").asText(null)).ifPresent(t -> out.add(new Activity(
                        "mkto-" + a.path("marketoGUID").asText(a.path("id").asText()), String.valueOf(leadId), t,
                        OffsetDateTime.parse(a.path("activityDate").asText()).toInstant())));
            }
            if (!page.path("moreResult").asBoolean(false)) {
                return out;
            }
            next = page.path("nextPageToken").asText();
        }
    }

    private void writeVerdict(int leadId, String status, String reason) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("action", "updateOnly");
        body.put("lookupField", "id");
        ObjectNode in = body.putArray("input").addObject();
        in.put("id", leadId);
        in.put(marketo.feedback().get("sales_status"), status);
        in.put(marketo.feedback().get("reject_reason"), reason);
        marketoCall(HttpRequest.newBuilder(URI.create(marketo.baseUrl() + "/rest/v1/leads.json"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
    }

    private JsonNode marketoGet(String path, Map<String, String> query) throws IOException, InterruptedException {
        String q = query.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return marketoCall(HttpRequest.newBuilder(URI.create(marketo.baseUrl() + path + (q.isEmpty() ? "" : "?" + q))).GET());
    }

    /** One Marketo call; on 606/615 waits out a whole rate window and sends it again. */
    private JsonNode marketoCall(HttpRequest.Builder request) throws IOException, InterruptedException {
        while (true) {
            marketoCalls++;
            HttpResponse<String> r = http.send(request.copy().header("Authorization", "Bearer " + marketoToken).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = json.readTree(r.body());
            if (body.path("success").asBoolean(false)) {
                return body;
            }
            String code = body.path("errors").path(0).path("code").asText("");
            if (!code.equals("606") && !code.equals("615")) {
                throw new IOException("Marketo refused a naive call with " + code + ": " + body.path("errors").path(0)
                        .path("message").asText(""));
            }
            refusals++;
            LockSupport.parkNanos(rateWindow.toNanos());
        }
    }

    private String marketoToken() throws IOException, InterruptedException {
        String url = marketo.baseUrl() + "/identity/oauth/token?grant_type=client_credentials&client_id="
                + URLEncoder.encode(marketo.clientId(), StandardCharsets.UTF_8) + "&client_secret="
                + URLEncoder.encode(marketo.clientSecret().reveal(), StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return token(r.body(), "Marketo");
    }

    private PartnerConnection salesforceConnection() throws IOException, InterruptedException, ConnectionException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(salesforceBase + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                        + URLEncoder.encode(salesforceClientId, StandardCharsets.UTF_8) + "&client_secret="
                        + URLEncoder.encode(salesforceSecret, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        ConnectorConfig cfg = new ConnectorConfig();
        cfg.setSessionId(token(r.body(), "Salesforce"));
        cfg.setServiceEndpoint(salesforceBase + "/services/Soap/u/65.0");
        return new PartnerConnection(cfg);
    }

    private static String token(String body, String system) throws IOException {
        Matcher m = TOKEN.matcher(body);
        if (!m.find()) {
            throw new IOException(system + " gave the naive route no access token");
        }
        return m.group(1);
    }
}
