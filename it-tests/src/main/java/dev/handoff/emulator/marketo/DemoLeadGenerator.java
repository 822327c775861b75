package dev.handoff.emulator.marketo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Deterministic B2B demo leads for the Marketo emulator: the same seed always yields the same list,
 * so a demo run or a backtest can be repeated exactly. The mix (firmographics, titles, email
 * domains, engagement) is tuned so that under the shared acme-mql definition roughly a quarter to
 * two fifths of the leads qualify, with every disqualifier and non-buyer kind represented.
 */
public final class DemoLeadGenerator {

    public record SeedLead(Map<String, Object> fields, Instant createdAt, List<SeedActivity> activities) {
        public SeedLead {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            Objects.requireNonNull(createdAt, "createdAt");
            activities = List.copyOf(activities);
        }
    }

    public record SeedActivity(int typeId, String primaryAttributeValue, Instant at) {
    }

    private static final Duration HISTORY = Duration.ofDays(60);

    private static final String[] FIRST_NAMES = {"Olivia", "Liam", "Emma", "Noah", "Amelia", "Mateo", "Sofia",
        "Lucas", "Aisha", "Kenji", "Priya", "Jonas", "Chloe", "Rafael", "Ingrid", "Omar", "Mei", "Diego", "Hannah",
        "Arjun", "Camille", "Tobias", "Yuki", "Fatima", "Ethan", "Lea", "Samuel", "Ana", "Felix", "Grace", "Marcus",
        "Nadia", "Henrik", "Isabela", "Daniel", "Chen", "Zoe", "Pierre", "Laura", "Kwame"};
    private static final String[] LAST_NAMES = {"Smith", "Garcia", "Müller", "Dubois", "Tanaka", "Patel", "Silva",
        "Johnson", "Nguyen", "Kowalski", "O'Brien", "Rossi", "Andersson", "Kim", "Okafor", "Martin", "Schmidt",
        "Fernandes", "Brown", "Sato", "Singh", "Lefebvre", "Wilson", "Costa", "Becker", "Murphy", "Ito", "Sharma",
        "Taylor", "Moreau", "Novak", "Haddad", "Lopez", "Clarke", "Weber", "Yamamoto", "Reyes", "Walker", "Ali",
        "Jensen"};
    private static final String[] COMPANY_STEMS = {"Northwind", "Blue Harbor", "Granite Peak", "Summit Ridge",
        "Cedar Point", "Atlas", "Brightline", "Copperleaf", "Evergreen", "Ironwood", "Lumen", "Meridian", "Nimbus",
        "Orchard", "Pinnacle", "Quarry Lane", "Redwood", "Silverline", "Tidewater", "Vantage", "Keystone",
        "Harborview", "Solstice", "Driftwood", "Beacon Hill"};
    private static final Map<String, String[]> COMPANY_SUFFIXES = Map.of(
            "Software", new String[] {"Software", "Cloud", "Labs", "Analytics"},
            "Financial Services", new String[] {"Capital", "Bank", "Insurance", "Payments"},
            "Manufacturing", new String[] {"Manufacturing", "Industries", "Components", "Fabrication"},
            "Retail", new String[] {"Retail Group", "Outfitters", "Markets", "Stores"},
            "Healthcare", new String[] {"Health", "Clinics", "Medical", "Biotech"},
            "Education", new String[] {"University", "Learning", "Academy", "College"},
            "Government", new String[] {"County", "Municipal Services", "Transit Authority", "Agency"},
            "Media", new String[] {"Media", "Studios", "Publishing", "Broadcasting"});
    private static final String[] INDUSTRIES = {"Software", "Financial Services", "Manufacturing", "Retail",
        "Healthcare", "Education", "Government", "Media"};
    private static final int[] INDUSTRY_WEIGHTS = {26, 16, 16, 11, 11, 9, 6, 5};
    private static final String[] COUNTRIES = {"US", "CA", "GB", "DE", "FR", "BR", "IN", "JP", "AU"};
    private static final int[] COUNTRY_WEIGHTS = {40, 8, 10, 8, 6, 7, 9, 6, 6};
    private static final String[] SENIOR_TITLES = {"VP of Marketing", "VP Sales", "Vice President, Finance",
        "Director of Marketing Operations", "Director of Sales", "Head of Demand Generation", "Head of Finance",
        "Chief Marketing Officer", "Chief Financial Officer", "Chief Revenue Officer", "Director of IT",
        "Head of Engineering"};
    private static final String[] MID_TITLES = {"Marketing Manager", "Sales Manager", "Senior Finance Analyst",
        "Marketing Operations Specialist", "Account Executive", "Operations Manager", "Product Manager",
        "IT Manager"};
    private static final String[] NON_BUYER_TITLES = {"Student", "Intern", "Software Engineer", "Engineer",
        "Research Assistant", "Teacher"};
    private static final String[] PERSONAL_DOMAINS = {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com"};
    private static final String[] LEAD_SOURCES = {"Website", "Webinar", "Content Syndication", "Trade Show",
        "Paid Search", "Organic Search", "Referral"};
    /**
     * Acquisition programs (Marketo program ids) per lead source: the campaigns the report breaks
     * down by. Drawn from the email, not the random stream, so adding them changed no other value.
     */
    private static final Map<String, long[]> PROGRAMS = Map.of(
            "Website", new long[] {2101}, "Webinar", new long[] {2201, 2202, 2203},
            "Content Syndication", new long[] {2301, 2302}, "Trade Show", new long[] {2401, 2402},
            "Paid Search", new long[] {2501, 2502}, "Organic Search", new long[] {2601}, "Referral", new long[] {2701});

    private static final Map<Long, String> PROGRAM_NAMES = Map.ofEntries(
            Map.entry(2101L, "Website - Demo Request Form"), Map.entry(2201L, "Webinar - Pipeline Math (Sep)"),
            Map.entry(2202L, "Webinar - SLA Design (Oct)"), Map.entry(2203L, "Webinar - Scoring Live (Nov)"),
            Map.entry(2301L, "Syndication - Analyst Guide"), Map.entry(2302L, "Syndication - Buyer Report"),
            Map.entry(2401L, "Trade Show - Spring Expo"), Map.entry(2402L, "Trade Show - Autumn Summit"),
            Map.entry(2501L, "Paid Search - Brand"), Map.entry(2502L, "Paid Search - Competitors"),
            Map.entry(2601L, "Organic - Blog"), Map.entry(2701L, "Referral - Partner Program"));

    /** The ids of the demo's acquisition programs. */
    public static java.util.Set<Long> programIds() {
        return PROGRAM_NAMES.keySet();
    }

    /** The name of one of the demo's acquisition programs, as it appears in Marketing Activities. */
    public static String programName(long programId) {
        String name = PROGRAM_NAMES.get(programId);
        if (name == null) {
            throw new IllegalArgumentException("not a demo program: " + programId);
        }
        return name;
    }

    static long acquisitionProgram(String leadSource, String email) {
        long[] programs = PROGRAMS.get(leadSource);
        return programs[Math.floorMod(email.hashCode(), programs.length)];
    }

    private static final String[] WHITEPAPERS = {"Whitepaper: The State of Lead Handoff 2026",
        "Whitepaper: SLA Design for Revenue Teams", "Whitepaper: Scoring Models That Sales Trusts",
        "Whitepaper: Closing the Feedback Loop"};
    private static final String[] BLOG_POSTS = {"/blog/mql-vs-sql", "/blog/lead-scoring-basics",
        "/blog/why-sales-rejects-leads", "/blog/service-level-agreements", "/blog/marketing-ops-checklist"};
    private static final String[] WEBINARS = {"Webinar: Aligning Sales and Marketing",
        "Webinar: Building a Lead Agreement", "Webinar: Pipeline Forecasting 101"};

    private DemoLeadGenerator() {
    }

    /**
     * @param seed     the same seed gives the same leads, field for field
     * @param count    well-formed leads
     * @param badCount additional leads malformed the way real Marketo data is (missing or broken
     *                 email, overlong names and titles, control characters), not marked as such
     * @param now      the demo's present: leads are created in the 60 days before it, activities
     *                 happen between creation and now
     */
    public static List<SeedLead> generate(long seed, int count, int badCount, Instant now) {
        if (count < 0 || badCount < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + count + ", " + badCount);
        }
        Random random = new Random(seed);
        Set<String> usedEmails = new HashSet<>();
        List<SeedLead> leads = new ArrayList<>(count + badCount);
        for (int i = 0; i < count; i++) {
            leads.add(lead(random, usedEmails, now));
        }
        for (int i = 0; i < badCount; i++) {
            leads.add(malformed(lead(random, usedEmails, now), i));
        }
        return List.copyOf(leads);
    }

    /**
     * Lead number {@code index} of a population too large to hold: the same (seed, index) always
     * yields the same lead, created at {@code createdAt}, with its activities in the
     * {@code activitySpan} after creation (never after {@code now}). The email carries the index,
     * so it is unique without remembering the others.
     */
    public static SeedLead leadAt(long seed, long index, Instant createdAt, Duration activitySpan, Instant now) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + index);
        return lead(random, now, (local, domain) -> local + "." + index + "@" + domain, createdAt, activitySpan);
    }

    private static SeedLead lead(Random random, Set<String> usedEmails, Instant now) {
        return lead(random, now, (local, domain) -> uniqueEmail(local, domain, usedEmails), null, null);
    }

    private static SeedLead lead(Random random, Instant now, java.util.function.BinaryOperator<String> emailOf,
            Instant fixedCreatedAt, Duration activitySpan) {
        String first = pick(random, FIRST_NAMES);
        String last = pick(random, LAST_NAMES);
        String industry = weighted(random, INDUSTRIES, INDUSTRY_WEIGHTS);
        String company = pick(random, COMPANY_STEMS) + " " + pick(random, COMPANY_SUFFIXES.get(industry));
        String companyDomain = company.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "") + ".example";

        double roll = random.nextDouble();
        String domain;
        if (roll < 0.08) {
            domain = pick(random, PERSONAL_DOMAINS);
        } else if (roll < 0.09) {
            domain = "rival.example";
        } else {
            domain = companyDomain;
        }
        String email = emailOf.apply(localPart(random, first, last), domain);

        // Log-uniform: many small companies, a long tail of large ones, as inbound B2B traffic is.
        double r = Math.pow(random.nextDouble(), 0.9);
        long revenue = Math.round(Math.exp(Math.log(1e6) + r * (Math.log(5e8) - Math.log(1e6))) / 100_000) * 100_000;
        double revenuePerEmployee = 80_000 + random.nextDouble() * 320_000;
        long employees = Math.max(5, Math.min(20_000, Math.round(revenue / revenuePerEmployee)));

        double t = random.nextDouble();
        String title = t < 0.45 ? pick(random, SENIOR_TITLES) : t < 0.8 ? pick(random, MID_TITLES)
                : pick(random, NON_BUYER_TITLES);

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("email", email);
        fields.put("firstName", first);
        fields.put("lastName", last);
        fields.put("company", company);
        fields.put("title", title);
        fields.put("industry", industry);
        fields.put("country", weighted(random, COUNTRIES, COUNTRY_WEIGHTS));
        fields.put("annualRevenue", revenue);
        fields.put("numberOfEmployees", employees);
        String leadSource = pick(random, LEAD_SOURCES);
        fields.put("leadSource", leadSource);
        fields.put("acquisitionProgramId", acquisitionProgram(leadSource, email));

        Instant drawnCreatedAt = now.minusSeconds((long) (random.nextDouble() * HISTORY.toSeconds()))
                .truncatedTo(ChronoUnit.SECONDS);
        Instant createdAt = fixedCreatedAt != null ? fixedCreatedAt : drawnCreatedAt;
        // People in a buying role at companies with budget are more often in an active evaluation,
        // as in real funnels; this is what makes fit and engagement correlate.
        double evaluatingShare = (t < 0.45 ? 0.75 : t < 0.8 ? 0.5 : 0.2) + (revenue >= 10_000_000 ? 0.2 : 0);
        boolean evaluating = random.nextDouble() < evaluatingShare;
        Instant activitiesEnd = activitySpan == null || createdAt.plus(activitySpan).isAfter(now) ? now
                : createdAt.plus(activitySpan);
        return new SeedLead(fields, createdAt, activities(random, createdAt, activitiesEnd, evaluating));
    }

    private static List<SeedActivity> activities(Random random, Instant createdAt, Instant now, boolean evaluating) {
        int n = evaluating ? 4 + random.nextInt(5) : 1 + random.nextInt(3);
        long span = Math.max(1, Duration.between(createdAt, now).toSeconds());
        List<SeedActivity> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // An active evaluation is recent: its activities crowd towards now.
            double u = evaluating ? 1 - Math.pow(random.nextDouble(), 2) : random.nextDouble();
            Instant at = createdAt.plusSeconds(1 + (long) (u * (span - 1)));
            if (at.isAfter(now)) {
                at = now;
            }
            double kind = random.nextDouble();
            if (kind < 0.42) {
                String page = random.nextDouble() < (evaluating ? 0.65 : 0.2) ? "/pricing" : pick(random, BLOG_POSTS);
                out.add(new SeedActivity(ActivityType.VISIT_WEBPAGE, page, at));
            } else if (kind < 0.78) {
                double form = random.nextDouble();
                String name = form < 0.5 ? pick(random, WHITEPAPERS) : form < 0.8 ? "Newsletter Signup" : "Contact Us";
                out.add(new SeedActivity(ActivityType.FILL_OUT_FORM, name, at));
            } else if (kind < 0.97) {
                out.add(new SeedActivity(ActivityType.ATTENDED_WEBINAR, pick(random, WEBINARS), at));
            } else {
                out.add(new SeedActivity(ActivityType.UNSUBSCRIBE_EMAIL, "Newsletter", at));
            }
        }
        out.sort(Comparator.comparing(SeedActivity::at));
        return out;
    }

    /**
     * Breaks one field of an otherwise ordinary lead, cycling through the defects seen in the wild
     * (the same kinds as the bad-input corpus of the integration tests): no email, a broken email,
     * an email carrying a SOQL injection, overlong fields, control characters and a spreadsheet
     * formula. Each one is quarantined by the connector.
     */
    private static SeedLead malformed(SeedLead lead, int index) {
        Map<String, Object> fields = new LinkedHashMap<>(lead.fields());
        switch (index % 8) {
            case 0 -> fields.remove("email");
            case 1 -> fields.put("email", fields.get("firstName").toString().toLowerCase(Locale.ROOT) + "."
                    + fields.get("lastName").toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "") + "@");
            case 2 -> fields.put("email", "no-at-sign.example");
            case 3 -> fields.put("lastName", repeat(fields.get("lastName").toString(), 300));
            case 4 -> fields.put("title", repeat(fields.get("title").toString() + " / ", 2000));
            case 5 -> fields.put("company", "=cmd|' /C calc'!A0 " + fields.get("company"));
            case 6 -> fields.put("email", "x' OR Email != '" + fields.get("email"));
            default -> fields.put("company", fields.get("company") + "\u0000\u0007\t\r\n Ltd\u001b");
        }
        return new SeedLead(fields, lead.createdAt(), lead.activities());
    }

    private static String repeat(String unit, int length) {
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            sb.append(unit);
        }
        return sb.substring(0, length);
    }

    private static String localPart(Random random, String first, String last) {
        String f = ascii(first);
        String l = ascii(last);
        return switch (random.nextInt(3)) {
            case 0 -> f + "." + l;
            case 1 -> f.charAt(0) + l;
            default -> f;
        };
    }

    private static String ascii(String name) {
        // Marketo requires ASCII emails; names like Müller and O'Brien become mueller and obrien.
        return name.toLowerCase(Locale.ROOT).replace("ü", "ue").replaceAll("[^a-z]", "");
    }

    private static String uniqueEmail(String local, String domain, Set<String> used) {
        String email = local + "@" + domain;
        for (int n = 2; !used.add(email); n++) {
            email = local + n + "@" + domain;
        }
        return email;
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String weighted(Random random, String[] values, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }
}
