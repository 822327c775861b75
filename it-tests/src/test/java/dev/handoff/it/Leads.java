package dev.handoff.it;

import dev.handoff.emulator.marketo.MarketoEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hand-made Marketo leads whose verdict under acme-mql@v3 is obvious from reading them. */
final class Leads {

    private Leads() {
    }

    static Map<String, Object> lead(String email, String lastName, String company, String title, long revenue, int employees) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (email != null) {
            m.put("email", email);
        }
        m.put("firstName", "Test");
        m.put("lastName", lastName);
        m.put("company", company);
        m.put("title", title);
        m.put("industry", "Software");
        m.put("country", "US");
        m.put("annualRevenue", revenue);
        m.put("numberOfEmployees", employees);
        return m;
    }

    /** Fit 80 (revenue 20, employees 15, industry 10, region 5, seniority 20, function 10) and two strong activities. */
    static int strongMql(MarketoEmulator mk, Instant now, String email) {
        int id = mk.addLead(lead(email, "Rivera", "Initech Software", "VP Marketing", 80_000_000, 900), now.minus(Duration.ofDays(5)));
        mk.addActivity(id, 1, "/pricing", now.minus(Duration.ofDays(2)));
        mk.addActivity(id, 100001, "Pipeline Summit 2026", now.minus(Duration.ofDays(1)));
        return id;
    }

    /** A junior with no interest: fit well under 40, no engagement. */
    static int notQualified(MarketoEmulator mk, Instant now, String email) {
        int id = mk.addLead(lead(email, "Okafor", "Tiny Shop", "Intern", 500_000, 4), now.minus(Duration.ofDays(5)));
        mk.addActivity(id, 1, "/blog/ten-tips", now.minus(Duration.ofDays(2)));
        return id;
    }

    static int withActivity(MarketoEmulator mk, Instant now, Map<String, Object> fields) {
        int id = mk.addLead(fields, now.minus(Duration.ofDays(5)));
        mk.addActivity(id, 1, "/pricing", now.minus(Duration.ofDays(1)));
        return id;
    }
}
