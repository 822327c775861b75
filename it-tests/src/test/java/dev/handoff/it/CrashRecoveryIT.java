package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.config.Secret;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.ledger.LeadState;
import dev.handoff.salesforce.SalesforceAuthenticator;
import dev.handoff.salesforce.SalesforceConfig;
import dev.handoff.salesforce.SalesforceGateway;
import dev.handoff.transport.JdkHttpTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window the exactly-once contract is about: Salesforce has accepted the upsert, the process
 * dies before the ledger records it. The restarted sidecar sends the same Leads again; because
 * the upsert is keyed by the MAP id, Salesforce updates them and no duplicate appears.
 */
class CrashRecoveryIT {

    @TempDir
    Path dir;

    @Test
    void crashBetweenCrmUpsertAndLedgerWriteLeavesExactlyOneLeadAfterRestart() {
        try (EmulatedWorld world = new EmulatedWorld(dir, 5)) {
            Instant now = world.clock.instant();
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                ids.add(Leads.strongMql(world.sandbox.marketo(), now, "crash" + i + "@initech.example"));
            }
            // First life: Salesforce unreachable, so the ledger ends up holding 250 MQLs not yet handed off.
            Map<String, String> props = world.properties();
            props.put("handoff.salesforce.token-url", "http://127.0.0.1:1");
            props.put("handoff.retry.redeliveries", "0");
            var offline = dev.handoff.app.HandoffApplication.start(new dev.handoff.config.Settings(props), world.clock);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> offline.ledger().awaitingHandoff("", 1000).size() == 250);
            offline.close();

            // The crash: the upsert reaches Salesforce, the ledger never hears of it.
            Map<String, String> crmIdsBeforeCrash = new java.util.HashMap<>();
            try (Ledger ledger = Ledger.open("jdbc:h2:file:" + world.ledgerFile.toAbsolutePath(), "sa", Secret.of(""),
                    world.clock)) {
                SalesforceConfig sf = SalesforceConfig.from(world.settings());
                SalesforceGateway gateway = new SalesforceGateway(sf,
                        new SalesforceAuthenticator(sf, new JdkHttpTransport(Duration.ofSeconds(30))), world.clock);
                List<LedgerLead> mqls = ledger.awaitingHandoff("", 1000);
                for (int from = 0; from < mqls.size(); from += 200) {
                    List<SalesforceGateway.CrmLead> batch = mqls.subList(from, Math.min(mqls.size(), from + 200)).stream()
                            .map(l -> new SalesforceGateway.CrmLead(l.mapId(), Map.of("LastName", "Rivera",
                                    "Company", "Initech Software", "Email", l.email())))
                            .toList();
                    gateway.upsertLeads(batch).forEach(o -> crmIdsBeforeCrash.put(o.externalId(), o.crmId()));
                }
                assertThat(ledger.awaitingHandoff("", 1000)).hasSize(250);
            }
            assertThat(world.sandbox.salesforce().leads()).hasSize(250);

            // Restart: the real application resumes from the ledger.
            world.startApplication();

            assertThat(world.sandbox.salesforce().leads()).hasSize(250);
            for (int id : ids) {
                String ext = String.valueOf(id);
                assertThat(world.sandbox.salesforce().countLeadsWithExternalId(ext)).isEqualTo(1);
                LedgerLead l = world.app().ledger().lead(ext).orElseThrow();
                assertThat(l.state()).isEqualTo(LeadState.HANDED_OFF);
                assertThat(l.crmId()).isEqualTo(crmIdsBeforeCrash.get(ext));
            }
            assertThat(world.sandbox.salesforce().leads()).allSatisfy(l ->
                    assertThat(l.get("definition_version")).isEqualTo("acme-mql@v3"));
        }
    }
}
