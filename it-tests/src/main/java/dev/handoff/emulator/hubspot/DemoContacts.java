package dev.handoff.emulator.hubspot;

import dev.handoff.emulator.marketo.DemoLeadGenerator.SeedActivity;
import dev.handoff.emulator.marketo.DemoLeadGenerator.SeedLead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the demo generator's Marketo-shaped leads into HubSpot contacts. HubSpot keeps no
 * activity log on the contact: it keeps the latest (and first) of each kind of engagement as
 * properties, so each lead's activities are folded into those properties here.
 */
final class DemoContacts {

    /** Where the demo's page paths live; HubSpot records full URLs. */
    static final String SITE = "https://www.handoff-demo.example";

    private static final int VISIT_WEBPAGE = 1;
    private static final int FILL_OUT_FORM = 2;
    private static final int UNSUBSCRIBE_EMAIL = 9;
    private static final int ATTENDED_WEBINAR = 100001;
    private static final String WEBINAR_PREFIX = "Webinar: ";
    private static final Map<String, String> FIELDS = fieldMap();

    private DemoContacts() {
    }

    private static Map<String, String> fieldMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("email", "email");
        m.put("firstName", "firstname");
        m.put("lastName", "lastname");
        m.put("company", "company");
        m.put("title", "jobtitle");
        m.put("industry", "industry");
        m.put("country", "country");
        m.put("annualRevenue", "annualrevenue");
        m.put("numberOfEmployees", "numemployees");
        return m;
    }

    /** The contact's properties, including createdate and lastmodifieddate. */
    static Map<String, String> properties(SeedLead lead) {
        Map<String, String> p = new LinkedHashMap<>();
        FIELDS.forEach((marketo, hubspot) -> {
            Object v = lead.fields().get(marketo);
            if (v != null) {
                p.put(hubspot, v.toString());
            }
        });
        p.put("lifecyclestage", "lead");
        p.put("hs_email_optout", "false");
        List<SeedActivity> activities = new ArrayList<>(lead.activities());
        activities.sort(Comparator.comparing(SeedActivity::at));
        SeedActivity firstConversion = null;
        SeedActivity lastConversion = null;
        SeedActivity lastVisit = null;
        int conversions = 0;
        int pageViews = 0;
        Instant modified = lead.createdAt();
        for (SeedActivity a : activities) {
            switch (a.typeId()) {
                case FILL_OUT_FORM, ATTENDED_WEBINAR -> {
                    conversions++;
                    if (firstConversion == null) {
                        firstConversion = a;
                    }
                    lastConversion = a;
                }
                case VISIT_WEBPAGE -> {
                    pageViews++;
                    lastVisit = a;
                }
                case UNSUBSCRIBE_EMAIL -> {
                    p.put("hs_email_optout", "true");
                    p.put("hs_email_optout_date", Long.toString(a.at().toEpochMilli()));
                }
                default -> {
                    // Other Marketo activity types leave no trace on a HubSpot contact.
                }
            }
            if (a.at().isAfter(modified)) {
                modified = a.at();
            }
        }
        if (firstConversion != null) {
            p.put("first_conversion_event_name", conversionName(firstConversion));
            p.put("first_conversion_date", Long.toString(firstConversion.at().toEpochMilli()));
            p.put("recent_conversion_event_name", conversionName(lastConversion));
            p.put("recent_conversion_date", Long.toString(lastConversion.at().toEpochMilli()));
        }
        if (conversions > 0) {
            p.put("num_conversion_events", Integer.toString(conversions));
        }
        if (lastVisit != null) {
            String page = lastVisit.primaryAttributeValue();
            p.put("hs_analytics_last_url", page.startsWith("/") ? SITE + page : page);
            p.put("hs_analytics_last_visit_timestamp", Long.toString(lastVisit.at().toEpochMilli()));
            p.put("hs_analytics_num_page_views", Integer.toString(pageViews));
        }
        p.put(HubSpotPortal.CREATED, Long.toString(lead.createdAt().toEpochMilli()));
        p.put(HubSpotPortal.MODIFIED, Long.toString(modified.toEpochMilli()));
        return p;
    }

    /** Webinar attendance is a conversion named after the webinar, prefixed once. */
    private static String conversionName(SeedActivity a) {
        String name = a.primaryAttributeValue();
        if (a.typeId() == ATTENDED_WEBINAR && !name.startsWith(WEBINAR_PREFIX)) {
            return WEBINAR_PREFIX + name;
        }
        return name;
    }
}
