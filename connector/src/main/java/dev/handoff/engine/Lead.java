package dev.handoff.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lead as the qualification engine sees it: the MAP lead id and normalized fields ({@code email,
 * first_name, last_name, company, title, industry, country, annual_revenue, employees}; numbers as
 * decimal strings). {@code email_domain} is derived from {@code email} when absent. Null values are
 * dropped.
 */
public record Lead(String id, Map<String, String> fields) {

    public Lead {
        Map<String, String> copy = new LinkedHashMap<>();
        if (fields != null) {
            for (Map.Entry<String, String> e : fields.entrySet()) {
                if (e.getKey() != null && e.getValue() != null) {
                    copy.put(e.getKey(), e.getValue());
                }
            }
        }
        fields = Collections.unmodifiableMap(copy);
    }

    /** The value of {@code name}, or null. */
    public String field(String name) {
        return fields.get(name);
    }
}
