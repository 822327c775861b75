package dev.handoff.emulator.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.fault.ExceptionCode;
import com.sforce.soap.partner.fault.UnexpectedErrorFault;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SalesforceLimitInfoIT {

    @Test
    void everySoapResponseCarriesSforceLimitInfoCountingTheDailyUsage() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            String token = sf.token();

            HttpResponse<String> first = sf.rawQuery(token, "SELECT Id FROM Lead");
            HttpResponse<String> second = sf.rawQuery(token, "SELECT Id FROM Lead");
            HttpResponse<String> badQuery = sf.rawQuery(token, "SELECT Nope__c FROM Lead");
            HttpResponse<String> badSession = sf.rawQuery("00D000000000000!forged", "SELECT Id FROM Lead");

            assertThat(first.headers().firstValue("Sforce-Limit-Info")).hasValue("api-usage=1/15000");
            assertThat(second.headers().firstValue("Sforce-Limit-Info")).hasValue("api-usage=2/15000");
            assertThat(badQuery.statusCode()).isEqualTo(500);
            assertThat(badQuery.headers().firstValue("Sforce-Limit-Info")).hasValue("api-usage=3/15000");
            assertThat(badSession.statusCode()).isEqualTo(500);
            assertThat(badSession.headers().firstValue("Sforce-Limit-Info"))
                    .as("a refused session uses no allocation").hasValue("api-usage=3/15000");
            assertThat(second.body()).contains("<current>2</current><limit>15000</limit>");
        }
    }

    @Test
    void usageDropsAsCallsLeaveTheRolling24HourWindow() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            PartnerConnection conn = sf.connect();
            conn.query("SELECT Id FROM Lead");
            sf.clock.advance(Duration.ofHours(1));
            conn.query("SELECT Id FROM Lead");
            sf.clock.advance(Duration.ofHours(23));

            HttpResponse<String> r = sf.rawQuery(sf.token(), "SELECT Id FROM Lead");

            assertThat(r.headers().firstValue("Sforce-Limit-Info")).hasValue("api-usage=2/15000");
            assertThat(sf.emulator.state()).containsEntry("api_usage", 2);
        }
    }

    @Test
    void dailyAllocationSpentIsATotalRequestsFaultWithTheFullUsageInTheHeader() throws Exception {
        SalesforceEmulator.Settings three = SalesforceEmulator.Settings.defaults().withDailyApiLimit(3);
        try (SalesforceHarness sf = new SalesforceHarness(three)) {
            String token = sf.token();
            for (int i = 0; i < 3; i++) {
                assertThat(sf.rawQuery(token, "SELECT Id FROM Lead").statusCode()).isEqualTo(200);
            }

            HttpResponse<String> refused = sf.rawQuery(token, "SELECT Id FROM Lead");
            UnexpectedErrorFault viaWsc = catchThrowableOfType(() -> sf.connect(token).query("SELECT Id FROM Lead"),
                    UnexpectedErrorFault.class);

            assertThat(refused.statusCode()).isEqualTo(500);
            assertThat(refused.body()).contains("<faultcode>sf:REQUEST_LIMIT_EXCEEDED</faultcode>")
                    .contains("<faultstring>REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.</faultstring>");
            assertThat(refused.headers().firstValue("Sforce-Limit-Info")).hasValue("api-usage=3/3");
            assertThat(viaWsc.getExceptionCode()).isEqualTo(ExceptionCode.REQUEST_LIMIT_EXCEEDED);
            assertThat(viaWsc.getExceptionMessage()).isEqualTo("TotalRequests Limit exceeded.");
            assertThat(sf.emulator.limitViolations()).isEqualTo(2);
            assertThat(sf.emulator.faultsInjected()).as("a real limit is not an injected fault").isZero();
        }
    }
}
