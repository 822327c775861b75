package dev.handoff.emulator.marketo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One immutable entry of the activity log. */
record Activity(long id, int leadId, Instant activityDate, int activityTypeId, Long primaryAttributeValueId,
                String primaryAttributeValue, Map<String, Object> attributes) {

    Position position() {
        return new Position(activityDate, id);
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("marketoGUID", Long.toString(id));
        json.put("leadId", leadId);
        json.put("activityDate", MarketoJson.formatInstant(activityDate));
        json.put("activityTypeId", activityTypeId);
        if (primaryAttributeValueId != null) {
            json.put("primaryAttributeValueId", primaryAttributeValueId);
        }
        json.put("primaryAttributeValue", primaryAttributeValue);
        List<Map<String, Object>> attrs = new ArrayList<>();
        attributes.forEach((name, value) -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", name);
            a.put("value", value);
            attrs.add(a);
        });
        json.put("attributes", attrs);
        return json;
    }

    /**
     * A place in the log ordered by (activityDate, id). Paging tokens carry one; a read returns
     * the entries strictly after it, so {@code (since, Long.MIN_VALUE)} means "from since on".
     */
    record Position(Instant date, long id) implements Comparable<Position> {
        @Override
        public int compareTo(Position o) {
            int c = date.compareTo(o.date);
            return c != 0 ? c : Long.compare(id, o.id);
        }
    }
}
