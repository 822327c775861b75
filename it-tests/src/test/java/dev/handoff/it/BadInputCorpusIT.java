package dev.handoff.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.handoff.config.Secret;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.webhook.WebhookVerifier;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's bad-input corpus ({@code it-tests/src/test/resources/bad-input/}, indexed by
 * {@code cases.csv}) through the real paths, mixed with good leads: signed webhook deliveries to a
 * running application, lead records in the Marketo emulator that the normal pipeline reads, and
 * malformed answers the emulators' server gives once. Every case gets its expected outcome (a 400
 * or 413 naming the field, a quarantine with its code, or arrival in Salesforce unchanged), none
 * stops the flow, none is lost, and every good lead still finishes.
 */
class BadInputCorpusIT {

    static final Path CORPUS = Path.of("it-tests/src/test/resources/bad-input");
    private static final String SECRET = "webhook-secret-for-the-corpus-0123456789";
    private static final Pattern REPEAT = Pattern.compile("\\{\\{repeat:(.*?):(\\d+)}}");
    private static final Set<LeadState> FINAL = Set.of(LeadState.NOT_QUALIFIED, LeadState.ACCEPTED, LeadState.REJECTED,
            LeadState.EXISTING_CONTACT);
    /** Salesforce field → its key in the emulator's Lead rows, the webhook's fields and Marketo's fields. */
    private static final Map<String, List<String>> FIELD_NAMES = Map.of(
            "Email", List.of("email", "email", "email"),
            "FirstName", List.of("first_name", "first_name", "firstName"),
            "LastName", List.of("last_name", "last_name", "lastName"),
            "Company", List.of("company", "company", "company"),
            "Title", List.of("title", "title", "title"),
            "Industry", List.of("industry", "industry", "industry"),
            "LeadSource", List.of("lead_source", "lead_source", "leadSource"));

    /** One row of {@code cases.csv}. */
    record Case(String name, Path file, String route, String expected, String detail, String lead, String stub) {
    }

    @TempDir
    Path dir;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void everyCaseGetsItsOutcomeNoneStopsTheFlowAndEveryGoodLeadFinishes() throws Exception {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (EmulatedWorld world = new EmulatedWorld(dir, 3).withWebhooks(port, SECRET, "generic")) {
            Instant now = world.clock.instant();
            MarketoEmulator mk = world.sandbox.marketo();
            // A Contact: a dedupe query a SOQL metacharacter had altered would match it.
            world.sandbox.salesforce().addContact("existing.customer@initech.example", "Existing", "Customer");
            List<Integer> good = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                good.add(Leads.strongMql(mk, now, "good.buyer" + i + "@globex.example"));
                if (i % 3 == 0) {
                    good.add(Leads.notQualified(mk, now, "junior" + i + "@globex.example"));
                }
            }
            Map<Case, Integer> marketoIds = new LinkedHashMap<>();
            for (Case c : route(cases, "marketo")) {
                Map<String, Object> fields = json.readValue(expand(Files.readString(c.file(), StandardCharsets.UTF_8)),
                        LinkedHashMap.class);
                int id = mk.addLead(fields, now.minus(Duration.ofDays(5)));
                mk.addActivity(id, 1, "/pricing", now.minus(Duration.ofDays(2)));
                mk.addActivity(id, 100001, "Pipeline Summit 2026", now.minus(Duration.ofDays(1)));
                marketoIds.put(c, id);
            }
            for (Case c : route(cases, "api")) {
                installOneShotStub(world, c);
            }
            world.startApplication();

            Map<Case, HttpResponse<String>> answers = new LinkedHashMap<>();
            for (Case c : route(cases, "webhook")) {
                answers.put(c, post(port, body(c), world.clock.instant()));
            }
            for (int cycle = 0; cycle < 12 && !settled(world); cycle++) {
                world.cycle();
            }
            assertThat(settled(world)).as("settled: " + world.app().ledger().counts().byState()).isTrue();

            Ledger ledger = world.app().ledger();
            Map<String, Ledger.QuarantineEntry> quarantine = new LinkedHashMap<>();
            ledger.quarantineEntries().forEach(q -> quarantine.put(q.mapId(), q));
            for (Map.Entry<Case, HttpResponse<String>> e : answers.entrySet()) {
                Case c = e.getKey();
                HttpResponse<String> answer = e.getValue();
                switch (c.expected()) {
                    case "rejected-400", "rejected-413" -> {
                        assertThat(answer.statusCode()).as(c.name()).isEqualTo(Integer.parseInt(c.expected().substring(9)));
                        assertThat(answer.body()).as(c.name()).contains(c.detail());
                        if (!c.lead().isEmpty()) {
                            assertThat(ledger.lead(c.lead())).as(c.name() + " is not recorded").isEmpty();
                        }
                    }
                    default -> {
                        assertThat(answer.statusCode()).as(c.name() + ": " + answer.body()).isEqualTo(202);
                        assertOutcome(world, c, c.lead(), webhookFields(c), quarantine);
                    }
                }
            }
            marketoIds.forEach((c, id) -> assertOutcome(world, c, String.valueOf(id), marketoFields(c), quarantine));
            for (Case c : route(cases, "api")) {
                assertThat(world.sandbox.server().getAllScenarios().getScenarios()).as(c.name())
                        .anySatisfy(s -> {
                            assertThat(s.getName()).isEqualTo(c.name());
                            assertThat(s.getState()).isEqualTo("served");
                        });
            }
            // Every good lead finished; every MQL among them is exactly one Lead in Salesforce.
            for (int id : good) {
                LedgerLead l = ledger.lead(String.valueOf(id)).orElseThrow();
                assertThat(l.state()).as("good lead " + id).isIn(FINAL);
                if (l.state() == LeadState.ACCEPTED || l.state() == LeadState.REJECTED) {
                    assertThat(world.sandbox.salesforce().countLeadsWithExternalId(String.valueOf(id))).isEqualTo(1);
                }
            }
            assertThat(world.sandbox.salesforce().leads()).extracting(l -> l.get("external_id")).doesNotHaveDuplicates();
            assertThat(world.sandbox.unmatchedRequests()).isEmpty();
        }
    }

    /** A case that got in: quarantined with its code, or finished (and, if sanitized, in Salesforce unchanged). */
    private void assertOutcome(EmulatedWorld world, Case c, String id, Map<String, Object> sent,
            Map<String, Ledger.QuarantineEntry> quarantine) {
        LedgerLead l = world.app().ledger().lead(id).orElseThrow(() -> new AssertionError(c.name() + " was lost"));
        switch (c.expected()) {
            case "quarantined" -> {
                assertThat(l.state()).as(c.name()).isEqualTo(LeadState.QUARANTINED);
                assertThat(quarantine.get(id).code()).as(c.name()).isEqualTo(c.detail());
                assertThat(quarantine.get(id).message()).as(c.name() + " names what is wrong").isNotBlank();
                if (!"DUPLICATE_EMAIL".equals(c.detail())) {
                    assertThat(world.sandbox.salesforce().countLeadsWithExternalId(id)).as(c.name()).isZero();
                }
            }
            case "accepted-sanitized" -> {
                assertThat(l.state()).as(c.name()).isIn(LeadState.ACCEPTED, LeadState.REJECTED);
                Map<String, Object> crmLead = world.sandbox.salesforce().leads().stream()
                        .filter(r -> id.equals(r.get("external_id"))).findFirst()
                        .orElseThrow(() -> new AssertionError(c.name() + " has no Lead in Salesforce"));
                int column = "marketo".equals(c.route()) ? 2 : 1;
                for (String field : c.detail().split(";")) {
                    List<String> names = FIELD_NAMES.get(field);
                    assertThat(crmLead.get(names.get(0))).as(c.name() + " " + field).isEqualTo(sent.get(names.get(column)));
                }
            }
            case "accepted" -> assertThat(l.state()).as(c.name()).isIn(FINAL);
            default -> throw new AssertionError("unknown expected outcome '" + c.expected() + "' of " + c.name());
        }
    }

    private boolean settled(EmulatedWorld world) {
        return world.app().ledger().counts().inFlight() == 0 && world.sandbox.salesforce().pendingDecisions() == 0
                && world.sandbox.server().getAllScenarios().getScenarios().stream().allMatch(s -> "served".equals(s.getState()));
    }

    /** Answers {@code METHOD PATH-REGEX STATUS TYPE [SOAP-OPERATION]} once with the case's body, then lets the emulator answer. */
    private static void installOneShotStub(EmulatedWorld world, Case c) throws IOException {
        String[] s = c.stub().split(" ");
        MappingBuilder stub = request(s[0], urlPathMatching(s[1])).atPriority(1)
                .inScenario(c.name()).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("served")
                .willReturn(aResponse().withStatus(Integer.parseInt(s[2])).withHeader("Content-Type", s[3])
                        .withBody(Files.readAllBytes(c.file())));
        if (s.length > 4) {
            stub = stub.withRequestBody(matching("(?s).*<([A-Za-z0-9]+:)?" + s[4] + "[ >/].*"));
        }
        world.sandbox.server().stubFor(stub);
    }

    private HttpResponse<String> post(int port, byte[] body, Instant at) throws Exception {
        long ts = at.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/generic"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(WebhookVerifier.SIGNATURE_HEADER, WebhookVerifier.signGeneric(Secret.of(SECRET), ts, body))
                .header(WebhookVerifier.TIMESTAMP_HEADER, String.valueOf(ts))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The delivery as sent: the file's bytes, with {@code {{repeat:…}}} expanded (only text files use it). */
    private static byte[] body(Case c) throws IOException {
        byte[] raw = Files.readAllBytes(c.file());
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        return text.contains("{{repeat:") ? expand(new String(raw, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8) : raw;
    }

    /** The webhook's {@code fields} as parsed JSON values (for comparing what arrived), or empty. */
    private Map<String, Object> webhookFields(Case c) {
        try {
            JsonNode root = json.readTree(body(c));
            return root.has("fields") ? json.convertValue(root.get("fields"), LinkedHashMap.class) : Map.of();
        } catch (IOException e) {
            return Map.of();
        }
    }

    private Map<String, Object> marketoFields(Case c) {
        try {
            return json.readValue(expand(Files.readString(c.file(), StandardCharsets.UTF_8)), LinkedHashMap.class);
        } catch (IOException e) {
            throw new AssertionError(c.name() + ": " + e.getMessage(), e);
        }
    }

    static String expand(String text) {
        Matcher m = REPEAT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String unit = m.group(1);
            int length = Integer.parseInt(m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(unit.repeat(length / unit.length() + 1).substring(0, length)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        boolean header = true;
        for (String line : Files.readAllLines(CORPUS.resolve("cases.csv"), StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            List<String> f = csv(line);
            out.add(new Case(f.get(0), CORPUS.resolve(f.get(1)), f.get(2), f.get(3), f.get(4), f.get(5), f.get(6)));
        }
        return out;
    }

    private static List<Case> route(List<Case> cases, String route) {
        return cases.stream().filter(c -> c.route().equals(route)).toList();
    }

    /** One CSV line: commas separate, double quotes enclose fields that hold commas or quotes. */
    private static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        out.add(field.toString());
        return out;
    }
}
