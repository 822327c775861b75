package dev.handoff.emulator.salesforce;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.sforce.soap.partner.LimitInfo;
import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.QueryResult;
import com.sforce.soap.partner.UpsertResult;
import com.sforce.soap.partner.fault.ApiFault;
import com.sforce.soap.partner.fault.ExceptionCode;
import com.sforce.soap.partner.fault.InvalidFieldFault;
import com.sforce.soap.partner.fault.InvalidQueryLocatorFault;
import com.sforce.soap.partner.fault.LoginFault;
import com.sforce.soap.partner.fault.MalformedQueryFault;
import com.sforce.soap.partner.fault.UnexpectedErrorFault;
import com.sforce.soap.partner.sobject.SObject;
import com.sforce.ws.ConnectionException;
import com.sforce.ws.ConnectorConfig;
import dev.handoff.emulator.VirtualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SalesforceEmulatorIT {

    private static final String EXT = "Handoff_External_Id__c";
    private static final Instant START = Instant.parse("2026-11-23T09:00:00Z");

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WireMockServer> servers = new ArrayList<>();
    private VirtualClock clock;
    private SalesforceEmulator emulator;
    private String base;

    @BeforeEach
    void startOrg() {
        clock = new VirtualClock(START);
        emulator = new SalesforceEmulator(clock, SalesforceEmulator.Settings.defaults());
        base = start(emulator);
    }

    @AfterEach
    void everyRequestWasServedByTheEmulator() {
        for (WireMockServer server : servers) {
            try {
                assertThat(server.findAllUnmatchedRequests()).isEmpty();
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void clientCredentialsTokenNamesThisInstanceAndIsNotAnApiCall() throws Exception {
        HttpResponse<String> r = tokenRequest("grant_type=client_credentials&client_id=handoff-client&client_secret=handoff-secret");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r.body(), "access_token")).startsWith("00D").contains("!");
        assertThat(json(r.body(), "instance_url")).isEqualTo(base);
        assertThat(json(r.body(), "id")).matches(Pattern.quote(base) + "/id/00D[A-Za-z0-9]{15}/005[A-Za-z0-9]{15}");
        assertThat(json(r.body(), "token_type")).isEqualTo("Bearer");
        assertThat(json(r.body(), "issued_at")).isEqualTo(Long.toString(START.toEpochMilli()));
        assertThat(json(r.body(), "signature")).isNotBlank();
        assertThat(emulator.authCalls()).isEqualTo(1);
        assertThat(emulator.apiCalls()).isZero();
    }

    @Test
    void wrongClientSecretIsInvalidClientAndUnknownGrantIsUnsupported() throws Exception {
        HttpResponse<String> bad = tokenRequest("grant_type=client_credentials&client_id=handoff-client&client_secret=nope");
        HttpResponse<String> grant = tokenRequest("grant_type=authorization_code&code=x");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad.body(), "error")).isEqualTo("invalid_client");
        assertThat(json(bad.body(), "error_description")).isEqualTo("invalid client credentials");
        assertThat(grant.statusCode()).isEqualTo(400);
        assertThat(json(grant.body(), "error")).isEqualTo("unsupported_grant_type");
    }

    @Test
    void upsertWithKnownExternalIdUpdatesInsteadOfCreating() throws Exception {
        PartnerConnection conn = connect();

        UpsertResult[] first = conn.upsert(EXT, new SObject[]{lead("mkto-1", "Lovelace", "Analytical", "ada@example.com")});
        clock.advance(Duration.ofMinutes(5));
        SObject changed = lead("mkto-1", "Lovelace", "Analytical Engines Ltd", "ada@example.com");
        changed.setField("Handoff_Score__c", 72.5);
        UpsertResult[] second = conn.upsert(EXT, new SObject[]{changed});

        assertThat(first[0].getCreated()).isTrue();
        assertThat(first[0].getSuccess()).isTrue();
        assertThat(first[0].getId()).matches("00Q[A-Za-z0-9]{15}");
        assertThat(second[0].getCreated()).isFalse();
        assertThat(second[0].getSuccess()).isTrue();
        assertThat(second[0].getId()).isEqualTo(first[0].getId());
        assertThat(emulator.countLeadsWithExternalId("mkto-1")).isEqualTo(1);
        Map<String, Object> row = emulator.leads().get(0);
        assertThat(row).containsEntry("company", "Analytical Engines Ltd").containsEntry("score", 72.5)
                .containsEntry("status", "Open - Not Contacted")
                .containsEntry("created_date", "2026-11-23T09:00:00.000Z")
                .containsEntry("system_modstamp", "2026-11-23T09:05:00.000Z");
        LimitInfo limit = conn.getLimitInfoHeader().getLimitInfo()[0];
        assertThat(limit.getType()).isEqualTo("API REQUESTS");
        assertThat(limit.getCurrent()).isEqualTo(2);
        assertThat(limit.getLimit()).isEqualTo(15000);
    }

    @Test
    void sameExternalIdTwiceInOneCallFailsTheSecondRecordOnly() throws Exception {
        UpsertResult[] r = connect().upsert(EXT, new SObject[]{
                lead("dup-1", "A", "Acme", "a@acme.example"), lead("dup-1", "B", "Acme", "b@acme.example")});

        assertThat(r[0].getSuccess()).isTrue();
        assertThat(r[1].getSuccess()).isFalse();
        assertThat(r[1].getErrors()[0].getStatusCode().name()).isEqualTo("DUPLICATE_EXTERNAL_ID");
        assertThat(emulator.countLeadsWithExternalId("dup-1")).isEqualTo(1);
    }

    @Test
    void invalidRecordsFailAloneWhileTheRestOfTheBatchIsSaved() throws Exception {
        SObject tooLong = lead("e-4", "Long", "Acme", "long@acme.example");
        tooLong.setField("Title", "x".repeat(129));
        SObject badPicklist = lead("e-5", "Pick", "Acme", "pick@acme.example");
        badPicklist.setField("Reject_Reason__c", "TOO_EXPENSIVE");
        SObject unknownField = lead("e-6", "Unknown", "Acme", "u@acme.example");
        unknownField.setField("Shoe_Size__c", "44");
        SObject badNumber = lead("e-7", "Number", "Acme", "n@acme.example");
        badNumber.setField("NumberOfEmployees", "lots");
        SObject[] batch = {
                lead("e-1", "Good", "Acme", "good@acme.example"),
                lead("e-2", "Bad", "Acme", "not-an-email"),
                lead("e-3", null, "Acme", "nolast@acme.example"),
                tooLong, badPicklist, unknownField, badNumber,
                lead("e-8", "AlsoGood", "Acme", null)};

        UpsertResult[] r = connect().upsert(EXT, batch);

        assertThat(r).hasSize(8);
        assertThat(r[0].getSuccess()).isTrue();
        assertThat(r[7].getSuccess()).isTrue();
        assertThat(statusOf(r[1])).isEqualTo("INVALID_EMAIL_ADDRESS");
        assertThat(r[1].getErrors()[0].getMessage()).isEqualTo("Email: invalid email address: not-an-email");
        assertThat(r[1].getErrors()[0].getFields()).containsExactly("Email");
        assertThat(r[1].getId()).isNull();
        assertThat(statusOf(r[2])).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(r[2].getErrors()[0].getMessage()).isEqualTo("Required fields are missing: [LastName]");
        assertThat(statusOf(r[3])).isEqualTo("STRING_TOO_LONG");
        assertThat(statusOf(r[4])).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(statusOf(r[5])).isEqualTo("INVALID_FIELD");
        assertThat(statusOf(r[6])).isEqualTo("INVALID_TYPE_ON_FIELD_IN_RECORD");
        assertThat(emulator.leads()).extracting(m -> m.get("external_id")).containsExactly("e-1", "e-8");
    }

    @Test
    void unknownExternalIdFieldFailsTheWholeCall() throws Exception {
        InvalidFieldFault fault = catchThrowableOfType(
                () -> connect().upsert("Email__x", new SObject[]{lead("k-1", "K", "Acme", null)}), InvalidFieldFault.class);

        assertThat(fault.getExceptionCode()).isEqualTo(ExceptionCode.INVALID_FIELD);
        assertThat(emulator.leads()).isEmpty();
    }

    @Test
    void moreThan200RecordsFailTheWholeCallWithExceededIdLimit() throws Exception {
        SObject[] batch = IntStream.range(0, 201).mapToObj(i -> lead("big-" + i, "L" + i, "Acme", null))
                .toArray(SObject[]::new);

        UnexpectedErrorFault fault = catchThrowableOfType(() -> connect().upsert(EXT, batch), UnexpectedErrorFault.class);

        assertThat(fault.getExceptionCode()).isEqualTo(ExceptionCode.EXCEEDED_ID_LIMIT);
        assertThat(fault.getExceptionMessage())
                .isEqualTo("record limit reached. cannot submit more than 200 records into this call");
        assertThat(emulator.limitViolations()).isEqualTo(1);
        assertThat(emulator.leads()).isEmpty();
    }

    @Test
    void queryMorePagesReturnEveryRowExactlyOnceAndALocatorIsSingleUse() throws Exception {
        PartnerConnection conn = connect();
        for (int chunk = 0; chunk < 3; chunk++) {
            int from = chunk * 200;
            SObject[] batch = IntStream.range(from, Math.min(450, from + 200))
                    .mapToObj(i -> lead(String.format("page-%03d", i), "L" + i, "Acme", null)).toArray(SObject[]::new);
            assertThat(conn.upsert(EXT, batch)).allMatch(UpsertResult::getSuccess);
        }
        conn.setQueryOptions(200);

        QueryResult page = conn.query("SELECT Id, Handoff_External_Id__c FROM Lead ORDER BY Handoff_External_Id__c DESC");
        String firstLocator = page.getQueryLocator();
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        while (true) {
            assertThat(page.getSize()).isEqualTo(450);
            pageSizes.add(page.getRecords().length);
            for (SObject s : page.getRecords()) {
                assertThat(s.getType()).isEqualTo("Lead");
                seen.add((String) s.getField(EXT));
            }
            if (page.isDone()) {
                assertThat(page.getQueryLocator()).isNull();
                break;
            }
            assertThat(page.getQueryLocator()).matches("0r8[A-Za-z0-9]{15}");
            page = conn.queryMore(page.getQueryLocator());
        }

        assertThat(pageSizes).containsExactly(200, 200, 50);
        assertThat(seen).hasSize(450).doesNotHaveDuplicates();
        assertThat(seen.get(0)).isEqualTo("page-449");
        assertThat(seen.get(449)).isEqualTo("page-000");
        InvalidQueryLocatorFault reuse = catchThrowableOfType(() -> conn.queryMore(firstLocator),
                InvalidQueryLocatorFault.class);
        assertThat(reuse.getExceptionCode()).isEqualTo(ExceptionCode.INVALID_QUERY_LOCATOR);
    }

    @Test
    void soqlLiteralsWithQuotesBackslashesNewlinesAndUnicodeMatchExactly() throws Exception {
        PartnerConnection conn = connect();
        String tricky = "O'Brien \\ \"Q\"\nzweite Zeile \u00fc\u20ac\uD83D\uDE00";
        conn.upsert(EXT, new SObject[]{lead("q-1", tricky, "Acme", null), lead("q-2", "O'Brien", "Acme", null)});

        QueryResult plain = conn.query("SELECT Id, LastName FROM Lead WHERE LastName = '" + escape(tricky) + "'");
        QueryResult unicodeEscape = conn.query(
                "SELECT LastName FROM Lead WHERE LastName = 'O\\'Brien \\\\ \\\"Q\\\"\\nzweite Zeile \\u00fc\\u20ac\uD83D\uDE00'");
        QueryResult viaIn = conn.query("SELECT Handoff_External_Id__c FROM Lead WHERE LastName IN ('" + escape(tricky)
                + "', 'nobody') AND Handoff_External_Id__c != null");

        assertThat(plain.getSize()).isEqualTo(1);
        assertThat(plain.getRecords()[0].getField("LastName")).isEqualTo(tricky);
        assertThat(unicodeEscape.getSize()).isEqualTo(1);
        assertThat(viaIn.getRecords()).extracting(s -> s.getField(EXT)).containsExactly("q-1");
    }

    @Test
    void escapedInjectionAttemptStaysInsideItsLiteral() throws Exception {
        PartnerConnection conn = connect();
        conn.upsert(EXT, new SObject[]{lead("i-1", "Alpha", "Acme", null), lead("i-2", "Beta", "Acme", null)});
        String hostile = "x' OR LastName != '";

        QueryResult escaped = conn.query("SELECT Id FROM Lead WHERE LastName = '" + escape(hostile) + "'");
        QueryResult unescaped = conn.query("SELECT Id FROM Lead WHERE LastName = '" + hostile + "'");

        assertThat(escaped.getSize()).isZero();
        assertThat(unescaped.getSize()).as("the same value unescaped really is an injection").isEqualTo(2);
    }

    @Test
    void unknownBackslashSequenceIsAMalformedQuery() throws Exception {
        PartnerConnection conn = connect();

        MalformedQueryFault fault = catchThrowableOfType(
                () -> conn.query("SELECT Id FROM Lead WHERE Email = 'a\\qb@example.com'"), MalformedQueryFault.class);
        MalformedQueryFault likeOnly = catchThrowableOfType(
                () -> conn.query("SELECT Id FROM Lead WHERE Email = 'a\\_b@example.com'"), MalformedQueryFault.class);
        MalformedQueryFault mixed = catchThrowableOfType(
                () -> conn.query("SELECT Id FROM Lead WHERE Email = 'a' AND LastName = 'b' OR Company = 'c'"),
                MalformedQueryFault.class);

        assertThat(fault.getExceptionCode()).isEqualTo(ExceptionCode.MALFORMED_QUERY);
        assertThat(fault.getExceptionMessage()).contains("\\q");
        assertThat(fault.getRow()).isEqualTo(1);
        assertThat(fault.getColumn()).isEqualTo(35);
        assertThat(likeOnly.getExceptionCode()).isEqualTo(ExceptionCode.MALFORMED_QUERY);
        assertThat(mixed.getExceptionMessage()).contains("unexpected token: 'OR'");
    }

    @Test
    void likeAndComparisonsFollowSoqlSemantics() throws Exception {
        PartnerConnection conn = connect();
        SObject a = lead("s-1", "Under_score", "Acme", "a@acme.example");
        a.setField("Handoff_Score__c", 80.0);
        SObject b = lead("s-2", "Underxscore", "Acme", null);
        b.setField("Handoff_Score__c", 20.0);
        conn.upsert(EXT, new SObject[]{a, b, lead("s-3", "Other", "Acme", null)});

        assertThat(externalIds(conn.query("SELECT Handoff_External_Id__c FROM Lead WHERE LastName LIKE 'under\\_%'")))
                .containsExactly("s-1");
        assertThat(externalIds(conn.query("SELECT Handoff_External_Id__c FROM Lead WHERE LastName LIKE 'UNDER_score'")))
                .containsExactly("s-1", "s-2");
        assertThat(externalIds(conn.query(
                "SELECT Handoff_External_Id__c FROM Lead WHERE Handoff_Score__c >= 50 OR Email = null "
                        + "ORDER BY Handoff_Score__c DESC NULLS LAST")))
                .containsExactly("s-1", "s-2", "s-3");
        assertThat(externalIds(conn.query(
                "SELECT Handoff_External_Id__c FROM Lead WHERE NOT (Email != null) AND Handoff_External_Id__c NOT IN ('s-3')")))
                .containsExactly("s-2");
        assertThat(externalIds(conn.query("SELECT Handoff_External_Id__c FROM Lead ORDER BY Handoff_Score__c LIMIT 2")))
                .containsExactly("s-3", "s-2");
    }

    @Test
    void unknownFieldInQueryIsAnInvalidFieldFaultWithItsPosition() throws Exception {
        InvalidFieldFault fault = catchThrowableOfType(
                () -> connect().query("SELECT Id, Shoe_Size__c FROM Lead"), InvalidFieldFault.class);
        InvalidFieldFault typed = catchThrowableOfType(
                () -> connect().query("SELECT Id FROM Lead WHERE SystemModstamp > '2026-01-01'"), InvalidFieldFault.class);

        assertThat(fault.getExceptionCode()).isEqualTo(ExceptionCode.INVALID_FIELD);
        assertThat(fault.getExceptionMessage()).contains("No such column 'Shoe_Size__c' on entity 'Lead'");
        assertThat(fault.getRow()).isEqualTo(1);
        assertThat(fault.getColumn()).isEqualTo(12);
        assertThat(typed.getExceptionMessage()).contains("must be of type dateTime");
    }

    @Test
    void repsDecideOnlyAfterTheirDueTimeAndModstampFilterSeesThem() throws Exception {
        PartnerConnection conn = connect();
        String[] grades = {"A1", "B2", "C3", "D4"};
        SObject[] batch = IntStream.range(0, 40).mapToObj(i -> {
            SObject s = lead("rep-" + i, "L" + i, "Acme", null);
            s.setField("Handoff_Grade__c", grades[i % 4]);
            return s;
        }).toArray(SObject[]::new);
        conn.upsert(EXT, batch);
        Instant due = emulator.nextDecisionDue().orElseThrow();
        String sinceCreate = "2026-11-23T09:00:00.001Z";

        assertThat(due).isBetween(START.plus(Duration.ofMinutes(30)), START.plus(Duration.ofHours(5)));
        clock.advance(Duration.between(START, due).minusMillis(1));
        // The first verdict may land after the 2h idle timeout, so each step authenticates afresh.
        conn = connect();
        assertThat(conn.query("SELECT Id FROM Lead WHERE SystemModstamp >= " + sinceCreate).getSize()).isZero();
        assertThat(emulator.pendingDecisions()).isEqualTo(40);

        clock.advance(Duration.ofMillis(1));
        QueryResult first = conn.query("SELECT Id, Status, SystemModstamp FROM Lead WHERE SystemModstamp >= " + sinceCreate);
        assertThat(first.getSize()).isEqualTo(1);
        assertThat(Instant.parse((String) first.getRecords()[0].getField("SystemModstamp"))).isEqualTo(due);

        clock.advance(Duration.ofHours(5));
        conn = connect();
        QueryResult all = conn.query("SELECT Id, Status, Reject_Reason__c, Reject_Comment__c, OwnerId, LastModifiedById "
                + "FROM Lead WHERE SystemModstamp >= 2026-11-23T09:00:00.001+00:00 ORDER BY SystemModstamp, Id");
        assertThat(all.getSize()).isEqualTo(40);
        assertThat(emulator.pendingDecisions()).isZero();
        Set<String> statuses = new HashSet<>();
        for (SObject s : all.getRecords()) {
            String status = (String) s.getField("Status");
            statuses.add(status);
            assertThat((String) s.getField("LastModifiedById")).startsWith("005").isEqualTo(s.getField("OwnerId"));
            if (status.equals("Closed - Not Converted")) {
                assertThat(s.getField("Reject_Reason__c")).isIn("NOT_RIGHT_FIT", "NOT_RIGHT_SIZE", "WRONG_CONTACT",
                        "NOT_INTERESTED", "NO_BUDGET", "OTHER");
                if ("OTHER".equals(s.getField("Reject_Reason__c"))) {
                    assertThat((String) s.getField("Reject_Comment__c")).isNotBlank();
                }
            } else {
                assertThat(status).isEqualTo("Working - Contacted");
                assertThat(s.getField("Reject_Reason__c")).isNull();
            }
        }
        assertThat(statuses).containsExactlyInAnyOrder("Working - Contacted", "Closed - Not Converted");
    }

    @Test
    void repVerdictsDependOnSeedAndExternalIdNotOnArrivalOrder() throws Exception {
        SalesforceEmulator other = new SalesforceEmulator(clock, SalesforceEmulator.Settings.defaults());
        String otherBase = start(other);
        List<SObject> leads = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            SObject s = lead("ord-" + i, "L" + i, "Acme", null);
            s.setField("Handoff_Grade__c", i % 2 == 0 ? "C1" : "B3");
            leads.add(s);
        }
        connect().upsert(EXT, leads.toArray(SObject[]::new));
        List<SObject> reversed = new ArrayList<>(leads);
        java.util.Collections.reverse(reversed);
        connect(otherBase, token(otherBase)).upsert(EXT, reversed.subList(0, 15).toArray(SObject[]::new));
        connect(otherBase, token(otherBase)).upsert(EXT, reversed.subList(15, 30).toArray(SObject[]::new));

        clock.advance(Duration.ofHours(6));

        assertThat(verdicts(other)).isEqualTo(verdicts(emulator));
    }

    @Test
    void idleSessionExpiresIntoAnInvalidSessionIdFault() throws Exception {
        PartnerConnection conn = connect();
        conn.query("SELECT Id FROM Lead");
        clock.advance(Duration.ofMinutes(110));
        conn.query("SELECT Id FROM Lead");
        clock.advance(Duration.ofMinutes(110));
        assertThat(conn.query("SELECT Id FROM Lead").getSize()).as("use keeps the session alive").isZero();

        clock.advance(Duration.ofHours(2).plusSeconds(1));

        UnexpectedErrorFault fault = catchThrowableOfType(() -> conn.query("SELECT Id FROM Lead"),
                UnexpectedErrorFault.class);
        assertThat(fault.getExceptionCode()).isEqualTo(ExceptionCode.INVALID_SESSION_ID);
        assertThat(fault.getExceptionMessage()).isEqualTo("Invalid Session ID found in SessionHeader: Illegal Session");
        assertThatThrownBy(() -> connect(base, "00D000000000000!forged").query("SELECT Id FROM Lead"))
                .isInstanceOf(UnexpectedErrorFault.class);
    }

    @Test
    void callsBeyondTheDailyAllocationAreRefusedUntilTheWindowRollsOn() throws Exception {
        SalesforceEmulator.Settings d = SalesforceEmulator.Settings.defaults();
        SalesforceEmulator small = new SalesforceEmulator(clock, new SalesforceEmulator.Settings(d.clientId(),
                d.clientSecret(), d.username(), d.password(), Duration.ofDays(3), 3, d.acceptedStatus(),
                d.rejectedStatus(), d.rejectReasons(), d.poorFitReasons(), d.repDelayMin(), d.repDelayMax(), d.seed()));
        String smallBase = start(small);
        PartnerConnection conn = connect(smallBase, token(smallBase));
        for (int i = 0; i < 3; i++) {
            conn.query("SELECT Id FROM Lead");
        }

        UnexpectedErrorFault fault = catchThrowableOfType(() -> conn.query("SELECT Id FROM Lead"),
                UnexpectedErrorFault.class);
        clock.advance(Duration.ofHours(24));
        conn.query("SELECT Id FROM Lead");

        assertThat(fault.getExceptionCode()).isEqualTo(ExceptionCode.REQUEST_LIMIT_EXCEEDED);
        assertThat(fault.getExceptionMessage()).isEqualTo("TotalRequests Limit exceeded.");
        assertThat(small.limitViolations()).isEqualTo(1);
        assertThat(small.apiCalls()).isEqualTo(5);
        assertThat(small.authCalls()).isEqualTo(1);
    }

    @Test
    void soapLoginOpensASessionAndABadPasswordIsALoginFault() throws Exception {
        ConnectorConfig cfg = new ConnectorConfig();
        cfg.setUsername("integration@handoff.test");
        cfg.setPassword("pass");
        cfg.setAuthEndpoint(base + "/services/Soap/u/65.0");
        PartnerConnection conn = new PartnerConnection(cfg);

        assertThat(cfg.getServiceEndpoint()).matches(Pattern.quote(base) + "/services/Soap/u/65.0/00D[A-Za-z0-9]{15}");
        assertThat(conn.query("SELECT Id FROM Contact").getSize()).isZero();
        ConnectorConfig bad = new ConnectorConfig();
        bad.setUsername("integration@handoff.test");
        bad.setPassword("wrong");
        bad.setAuthEndpoint(base + "/services/Soap/u/65.0");
        LoginFault fault = catchThrowableOfType(() -> new PartnerConnection(bad), LoginFault.class);
        assertThat(fault.getExceptionCode()).isEqualTo(ExceptionCode.INVALID_LOGIN);
        assertThat(emulator.authCalls()).isEqualTo(2);
        assertThat(emulator.apiCalls()).isEqualTo(1);
    }

    @Test
    void contactsAddedByPeopleAreFoundByEmailDedupeQueries() throws Exception {
        emulator.addContact("grace@navy.example", "Grace", "Hopper");
        emulator.addContact("alan@bletchley.example", "Alan", "Turing");
        ConnectorConfig cfg = config(base, token(base));
        cfg.setCompression(false);
        PartnerConnection conn = new PartnerConnection(cfg);

        QueryResult r = conn.query("SELECT Id, Email, LastName FROM Contact WHERE Email IN ('GRACE@navy.example', "
                + "'nobody@x.example')");

        assertThat(r.getSize()).isEqualTo(1);
        assertThat(r.getRecords()[0].getId()).startsWith("003");
        assertThat(r.getRecords()[0].getField("LastName")).isEqualTo("Hopper");
    }

    @Test
    void stateListsLeadsAndCallCountersByOperation() throws Exception {
        PartnerConnection conn = connect();
        conn.upsert(EXT, new SObject[]{lead("st-1", "State", "Acme", "s@acme.example")});
        conn.query("SELECT Id FROM Lead");

        Map<String, Object> state = emulator.state();

        assertThat(state).containsOnlyKeys("leads", "deleted_leads", "contacts", "opportunities", "calls", "auth_calls",
                "limit_violations", "faults_injected", "faults_by_kind", "api_usage", "calls_by_operation");
        assertThat(state).containsEntry("faults_injected", 0L).containsEntry("api_usage", 2)
                .containsEntry("opportunities", 0).containsEntry("contacts", 0).containsEntry("deleted_leads", 0L);
        assertThat(state).containsEntry("calls", 2L).containsEntry("auth_calls", 1L).containsEntry("limit_violations", 0L);
        assertThat(state.get("calls_by_operation")).isEqualTo(Map.of("query", 1L, "upsert", 1L));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> leads = (List<Map<String, Object>>) state.get("leads");
        assertThat(leads).hasSize(1);
        assertThat(leads.get(0).keySet()).containsExactly("id", "external_id", "email", "first_name", "last_name",
                "company", "title", "industry", "lead_source", "status", "reject_reason", "reject_comment", "owner_id", "score", "grade",
                "definition_version", "sla_breached", "is_converted", "converted_opportunity_id", "created_date", "system_modstamp");
        assertThat(leads.get(0)).containsEntry("external_id", "st-1").containsEntry("email", "s@acme.example");
        assertThat(emulator.leads()).isEqualTo(leads);
    }

    @Test
    void rawQueryResponseCarriesLimitInfoAndTheIdTwiceLikeRealRecords() throws Exception {
        String token = token(base);
        connect(base, token).upsert(EXT, new SObject[]{lead("raw-1", "Raw & <Co>", "Acme", null)});
        String envelope = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><env:Envelope"
                + " xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"urn:partner.soap.sforce.com\">"
                + "<env:Header><p:SessionHeader><p:sessionId>" + token + "</p:sessionId></p:SessionHeader></env:Header>"
                + "<env:Body><p:query><p:queryString>SELECT Id, LastName, Email FROM Lead</p:queryString></p:query>"
                + "</env:Body></env:Envelope>";

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/services/Soap/u/65.0"))
                .header("Content-Type", "text/xml; charset=UTF-8").header("SOAPAction", "\"\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());

        String id = emulator.leads().get(0).get("id").toString();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/xml; charset=utf-8");
        assertThat(r.body()).contains("<LimitInfoHeader><limitInfo><current>2</current><limit>15000</limit>"
                + "<type>API REQUESTS</type></limitInfo></LimitInfoHeader>");
        assertThat(r.body()).contains("<result xsi:type=\"QueryResult\"><done>true</done><queryLocator xsi:nil=\"true\"/>"
                + "<records xsi:type=\"sf:sObject\"><sf:type>Lead</sf:type><sf:Id>" + id + "</sf:Id><sf:Id>" + id
                + "</sf:Id><sf:LastName>Raw &amp; &lt;Co&gt;</sf:LastName><sf:Email xsi:nil=\"true\"/></records>"
                + "<size>1</size></result>");
    }

    // ------------------------------------------------------------------ helpers

    private String start(SalesforceEmulator e) {
        WireMockServer server = new WireMockServer(options().dynamicPort().extensions(e));
        server.start();
        servers.add(server);
        e.stubs().forEach(server::addStubMapping);
        return "http://localhost:" + server.port();
    }

    private PartnerConnection connect() throws Exception {
        return connect(base, token(base));
    }

    private static PartnerConnection connect(String base, String token) throws ConnectionException {
        return new PartnerConnection(config(base, token));
    }

    private static ConnectorConfig config(String base, String token) {
        ConnectorConfig cfg = new ConnectorConfig();
        cfg.setSessionId(token);
        cfg.setServiceEndpoint(base + "/services/Soap/u/65.0");
        return cfg;
    }

    private String token(String base) throws IOException, InterruptedException {
        HttpResponse<String> r = post(base, "grant_type=client_credentials&client_id=handoff-client&client_secret=handoff-secret");
        assertThat(r.statusCode()).isEqualTo(200);
        return json(r.body(), "access_token");
    }

    private HttpResponse<String> tokenRequest(String form) throws IOException, InterruptedException {
        return post(base, form);
    }

    private HttpResponse<String> post(String base, String form) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Our token responses hold only flat string members, so a pattern is enough to read them. */
    private static String json(String body, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
        assertThat(m.find()).as("%s in %s", key, body).isTrue();
        return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static SObject lead(String externalId, String lastName, String company, String email) {
        SObject s = new SObject("Lead");
        s.setField(EXT, externalId);
        if (lastName != null) {
            s.setField("LastName", lastName);
        }
        s.setField("Company", company);
        if (email != null) {
            s.setField("Email", email);
        }
        return s;
    }

    /** The SOQL escaping a client must do: backslash first, then quote. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n");
    }

    private static String statusOf(UpsertResult r) {
        assertThat(r.getSuccess()).isFalse();
        return r.getErrors()[0].getStatusCode().name();
    }

    private static List<Object> externalIds(QueryResult r) {
        List<Object> out = new ArrayList<>();
        for (SObject s : r.getRecords()) {
            out.add(s.getField(EXT));
        }
        return out;
    }

    private static Map<Object, List<Object>> verdicts(SalesforceEmulator e) {
        Map<Object, List<Object>> out = new LinkedHashMap<>();
        e.leads().stream().sorted(java.util.Comparator.comparing(m -> (String) m.get("external_id")))
                .forEach(m -> out.put(m.get("external_id"), java.util.Arrays.asList(m.get("status"),
                        m.get("reject_reason"), m.get("reject_comment"), m.get("owner_id"), m.get("system_modstamp"))));
        return out;
    }
}
