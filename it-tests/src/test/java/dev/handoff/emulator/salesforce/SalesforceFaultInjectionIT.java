package dev.handoff.emulator.salesforce;

import static dev.handoff.emulator.salesforce.SalesforceHarness.EXT;
import static dev.handoff.emulator.salesforce.SalesforceHarness.lead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.UpsertResult;
import com.sforce.soap.partner.fault.ApiFault;
import com.sforce.soap.partner.fault.ExceptionCode;
import com.sforce.soap.partner.fault.UnexpectedErrorFault;
import com.sforce.soap.partner.sobject.SObject;
import com.sforce.ws.ConnectionException;
import dev.handoff.emulator.FaultPlan;
import dev.handoff.emulator.salesforce.SalesforceEmulator.InjectedFault;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SalesforceFaultInjectionIT {

    /** The kinds these tests were written for; the later ones have their own tests below and in the gateway tests. */
    private static final List<String> CLASSIC = List.of("RECORD_LOCK", "CONCURRENT_REQUEST_LIMIT", "SERVER_UNAVAILABLE",
            "HTTP_503", "CONNECTION_RESET");
    /** Every kind a call on a session that has not served a call yet can suffer. */
    private static final List<String> ON_A_FRESH_SESSION = java.util.Arrays.stream(InjectedFault.values())
            .filter(k -> k != InjectedFault.SESSION_EXPIRED).map(Enum::name).toList();

    @Test
    void everyFaultKindAppearsAndAFaultedCallChangesNoState() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            PartnerConnection conn = sf.connect();
            sf.emulator.setFaults(new FaultPlan(1.0, 11).onlyKinds(ON_A_FRESH_SESSION)
                    .withTimeoutDelay(java.time.Duration.ofMillis(50)));
            Set<InjectedFault> seen = EnumSet.noneOf(InjectedFault.class);
            for (int call = 0; call < 100 && seen.size() < ON_A_FRESH_SESSION.size(); call++) {
                int c = call;
                SObject[] batch = IntStream.range(0, 4).mapToObj(i -> lead("f-" + c + "-" + i, "L", "Acme", null))
                        .toArray(SObject[]::new);
                int leadsBefore = sf.emulator.leads().size();
                Object usageBefore = sf.emulator.state().get("api_usage");
                Map<InjectedFault, Long> before = sf.emulator.faultsInjectedByKind();

                Throwable thrown = catchThrowable(() -> conn.upsert(EXT, batch));

                List<InjectedFault> kinds = newKinds(before, sf.emulator.faultsInjectedByKind());
                seen.addAll(kinds);
                InjectedFault kind = kinds.get(kinds.size() - 1);
                switch (kind) {
                    case RECORD_LOCK -> {
                        // The call goes through: unlocked records are saved, at least one locked record is not.
                        assertThat(thrown).isNull();
                        assertThat(sf.emulator.leads().size() - leadsBefore).isBetween(0, 3);
                    }
                    case CONCURRENT_REQUEST_LIMIT -> {
                        UnexpectedErrorFault f = (UnexpectedErrorFault) thrown;
                        assertThat(f.getExceptionCode()).isEqualTo(ExceptionCode.REQUEST_LIMIT_EXCEEDED);
                        assertThat(f.getExceptionMessage())
                                .isEqualTo("ConcurrentRequests (Concurrent API Requests) Limit exceeded.");
                    }
                    case SERVER_UNAVAILABLE -> assertThat(((UnexpectedErrorFault) thrown).getExceptionCode())
                            .isEqualTo(ExceptionCode.SERVER_UNAVAILABLE);
                    case HTTP_503, CONNECTION_RESET, TIMEOUT, HTTP_500, MALFORMED_RESPONSE -> assertThat(thrown)
                            .isInstanceOf(ConnectionException.class).isNotInstanceOf(ApiFault.class);
                    default -> throw new AssertionError(kind);
                }
                if (kind != InjectedFault.RECORD_LOCK) {
                    assertThat(sf.emulator.leads()).hasSize(leadsBefore);
                    assertThat(sf.emulator.state().get("api_usage")).isEqualTo(usageBefore);
                }
            }

            assertThat(seen).map(Enum::name).containsExactlyInAnyOrderElementsOf(ON_A_FRESH_SESSION);
            assertThat(sf.emulator.limitViolations()).as("injected faults are not limit breaches").isZero();
            assertThat(sf.emulator.state().get("faults_injected")).isEqualTo(sf.emulator.faultsInjected());
        }
    }

    @Test
    void lockedRecordsFailAloneWithUnableToLockRowAndAreNotWritten() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            PartnerConnection conn = sf.connect();
            sf.emulator.setFaults(new FaultPlan(1.0, 21).onlyKinds(CLASSIC));
            List<String> lockMessages = new ArrayList<>();
            int saved = 0;
            for (int call = 0; call < 100 && lockMessages.isEmpty(); call++) {
                int c = call;
                SObject[] batch = IntStream.range(0, 10).mapToObj(i -> lead("lock-" + c + "-" + i, "L" + i, "Acme", null))
                        .toArray(SObject[]::new);
                UpsertResult[] r;
                try {
                    r = conn.upsert(EXT, batch);
                } catch (ConnectionException wholeCallFault) {
                    continue;
                }
                for (int i = 0; i < r.length; i++) {
                    String ext = (String) batch[i].getField(EXT);
                    if (r[i].getSuccess()) {
                        saved++;
                        assertThat(sf.emulator.countLeadsWithExternalId(ext)).isEqualTo(1);
                    } else {
                        assertThat(r[i].getErrors()[0].getStatusCode().name()).isEqualTo("UNABLE_TO_LOCK_ROW");
                        assertThat(r[i].getId()).isNull();
                        assertThat(sf.emulator.countLeadsWithExternalId(ext)).isZero();
                        lockMessages.add(r[i].getErrors()[0].getMessage());
                    }
                }
            }

            assertThat(lockMessages).isNotEmpty().allMatch("unable to obtain exclusive access to this record"::equals);
            assertThat(saved + lockMessages.size()).isEqualTo(10);
            assertThat(saved).as("the rest of the batch is saved").isPositive();
        }
    }

    @Test
    void theSameSeedFaultsTheSameCallsInTheSameWay() throws Exception {
        List<String> first = outcomes(42, 0.3);
        List<String> again = outcomes(42, 0.3);
        List<String> otherSeed = outcomes(43, 0.3);

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
        assertThat(first).contains("ok").anyMatch(o -> !o.equals("ok"));
    }

    @Test
    void tokenEndpointStaysCleanUnlessThePlanCoversAuth() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            sf.emulator.setFaults(new FaultPlan(1.0, 5).onlyKinds(CLASSIC));
            for (int i = 0; i < 10; i++) {
                assertThat(sf.tokenResponse().statusCode()).isEqualTo(200);
            }
            assertThat(sf.emulator.faultsInjected()).isZero();

            sf.emulator.setFaults(new FaultPlan(1.0, 5).onlyKinds(CLASSIC).withAuthFaults());
            Throwable reset = null;
            int status = 0;
            for (int i = 0; i < 10 && (reset == null || status != 503); i++) {
                try {
                    status = Math.max(status, sf.tokenResponse().statusCode());
                } catch (IOException e) {
                    reset = e;
                }
            }
            assertThat(status).isEqualTo(503);
            assertThat(reset).isNotNull();
            assertThat(sf.emulator.faultsInjected()).isPositive();
            assertThat(sf.emulator.apiCalls()).isZero();
        }
    }

    @Test
    void injected503IsAnHtmlPageWithoutTheLimitHeaderWhileSoapFaultsCarryIt() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            String token = sf.token();
            sf.emulator.setFaults(new FaultPlan(1.0, 3).onlyKinds(CLASSIC));
            HttpResponse<String> page = null;
            HttpResponse<String> soapFault = null;
            for (int i = 0; i < 40 && (page == null || soapFault == null); i++) {
                HttpResponse<String> r;
                try {
                    r = sf.rawQuery(token, "SELECT Id FROM Lead");
                } catch (IOException reset) {
                    continue;
                }
                if (r.statusCode() == 503) {
                    page = r;
                } else if (r.statusCode() == 500) {
                    soapFault = r;
                }
            }

            assertThat(page).isNotNull();
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("Service Unavailable");
            assertThat(page.headers().firstValue("Sforce-Limit-Info")).isEmpty();
            assertThat(soapFault).isNotNull();
            assertThat(soapFault.body()).containsAnyOf("<faultcode>sf:REQUEST_LIMIT_EXCEEDED</faultcode>",
                    "<faultcode>sf:SERVER_UNAVAILABLE</faultcode>");
            assertThat(soapFault.headers().firstValue("Sforce-Limit-Info")).hasValue("api-usage=0/15000");
        }
    }

    private static List<String> outcomes(long seed, double rate) throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            String token = sf.token();
            sf.emulator.setFaults(new FaultPlan(rate, seed).onlyKinds(CLASSIC));
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long before = sf.emulator.faultsInjected();
                try {
                    HttpResponse<String> r = sf.rawQuery(token, "SELECT Id FROM Lead");
                    out.add(sf.emulator.faultsInjected() == before ? "ok" : r.statusCode() + ":" + faultCode(r.body()));
                } catch (IOException reset) {
                    out.add("reset");
                }
            }
            return out;
        }
    }

    private static String faultCode(String body) {
        int at = body.indexOf("<faultcode>");
        return at < 0 ? "html" : body.substring(at + 11, body.indexOf("</faultcode>"));
    }

    /**
     * The kinds injected into one client call, the one the client saw last. The JDK's
     * HttpURLConnection (under WSC) silently resends a POST once when its kept-alive connection is
     * reset, so a reset can be followed by a second, differently faulted attempt.
     */
    private static List<InjectedFault> newKinds(Map<InjectedFault, Long> before, Map<InjectedFault, Long> after) {
        List<InjectedFault> grown = new ArrayList<>();
        for (InjectedFault k : InjectedFault.values()) {
            long added = after.getOrDefault(k, 0L) - before.getOrDefault(k, 0L);
            for (long i = 0; i < added; i++) {
                grown.add(k);
            }
        }
        assertThat(grown).as("at rate 1 every attempt is faulted").isNotEmpty().hasSizeLessThanOrEqualTo(2);
        if (grown.size() == 2) {
            assertThat(grown).contains(InjectedFault.CONNECTION_RESET);
            grown.remove(InjectedFault.CONNECTION_RESET);
            grown.add(0, InjectedFault.CONNECTION_RESET);
        }
        return grown;
    }
}
