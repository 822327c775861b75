package dev.handoff.bench;

import dev.handoff.emulator.marketo.DemoLeadGenerator;
import dev.handoff.engine.Activity;
import dev.handoff.engine.Lead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The leads the engine benchmark scores: the demo's firmographics (so the fit mix is the demo's)
 * with exactly {@value #ACTIVITIES_PER_LEAD} activities each, spread over the last 120 days and
 * including types the definition does not know, as a Marketo activity feed has.
 */
public final class BenchLeads {

    public static final int ACTIVITIES_PER_LEAD = 10;
    /** As of this instant; fixed so every run scores the same inputs. */
    public static final Instant NOW = Instant.parse("2026-11-15T12:00:00Z");

    /** Engine field name → demo (Marketo) field name, as the connector's default field map has them. */
    private static final String[][] FIELDS = {
        {"email", "email"}, {"first_name", "firstName"}, {"last_name", "lastName"}, {"company", "company"},
        {"title", "title"}, {"industry", "industry"}, {"country", "country"}, {"annual_revenue", "annualRevenue"},
        {"employees", "numberOfEmployees"}, {"lead_source", "leadSource"}};

    /** Activity types weighted like a feed: many page visits and downloads, some types the definition ignores. */
    private static final String[] TYPES = {"pricing_page_visit", "content_download", "content_download",
        "webinar_attended", "newsletter_signup", "unsubscribed", "email_opened", "email_opened", "web_page_visit",
        "web_page_visit", "new_lead"};

    public record Scored(Lead lead, List<Activity> activities) {
    }

    private BenchLeads() {
    }

    /** {@code count} leads; the same seed gives the same leads and activities. */
    public static List<Scored> generate(long seed, int count) {
        Random random = new Random(seed ^ 0x5DEECE66DL);
        List<Scored> out = new ArrayList<>(count);
        int n = 0;
        for (DemoLeadGenerator.SeedLead seedLead : DemoLeadGenerator.generate(seed, count, 0, NOW)) {
            String id = "L-" + (++n);
            Map<String, String> fields = new LinkedHashMap<>();
            for (String[] f : FIELDS) {
                Object v = seedLead.fields().get(f[1]);
                if (v != null) {
                    fields.put(f[0], v.toString());
                }
            }
            List<Activity> activities = new ArrayList<>(ACTIVITIES_PER_LEAD);
            for (int a = 0; a < ACTIVITIES_PER_LEAD; a++) {
                // Squared uniform ages: activity crowds towards now, as in an active evaluation.
                double u = random.nextDouble();
                long ageSeconds = (long) (u * u * 120 * 86_400);
                String type = TYPES[random.nextInt(TYPES.length)];
                activities.add(new Activity(id + "-A" + a, id, type, NOW.minusSeconds(ageSeconds)));
            }
            out.add(new Scored(new Lead(id, fields), List.copyOf(activities)));
        }
        return List.copyOf(out);
    }
}
