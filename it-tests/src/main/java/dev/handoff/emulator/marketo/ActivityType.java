package dev.handoff.emulator.marketo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The activity types this instance knows, as served by {@code /rest/v1/activities/types.json}. */
record ActivityType(int id, String name, String description, String primaryAttributeName,
                    String primaryAttributeType, List<List<String>> attributes) {

    static final int VISIT_WEBPAGE = 1;
    static final int FILL_OUT_FORM = 2;
    static final int UNSUBSCRIBE_EMAIL = 9;
    static final int NEW_LEAD = 12;
    static final int CHANGE_DATA_VALUE = 13;
    static final int ATTENDED_WEBINAR = 100001;

    static final List<ActivityType> ALL = List.of(
            new ActivityType(VISIT_WEBPAGE, "Visit Webpage", "User visits a web page", "Webpage ID", "integer",
                    List.of(List.of("Client IP Address", "string"), List.of("Query Parameters", "string"),
                            List.of("Referrer URL", "string"), List.of("User Agent", "string"),
                            List.of("Webpage URL", "string"))),
            new ActivityType(FILL_OUT_FORM, "Fill Out Form", "User fills out and submits form on web page",
                    "Webform ID", "integer",
                    List.of(List.of("Client IP Address", "string"), List.of("Form Fields", "text"),
                            List.of("Query Parameters", "string"), List.of("Referrer URL", "string"),
                            List.of("User Agent", "string"), List.of("Webpage ID", "integer"))),
            new ActivityType(UNSUBSCRIBE_EMAIL, "Unsubscribe Email", "User unsubscribes from emails", "Mailing ID",
                    "integer",
                    List.of(List.of("Campaign Run ID", "integer"), List.of("Client IP Address", "string"),
                            List.of("Webpage ID", "integer"))),
            new ActivityType(NEW_LEAD, "New Lead", "New lead was created", "Lead ID", "integer",
                    List.of(List.of("Source Type", "string"), List.of("Created Date", "date"))),
            new ActivityType(CHANGE_DATA_VALUE, "Change Data Value", "Changed attribute value for a person",
                    "Attribute Name", "integer",
                    List.of(List.of("New Value", "text"), List.of("Old Value", "text"), List.of("Reason", "text"),
                            List.of("Source", "string"), List.of("Api Method Name", "string"))),
            new ActivityType(ATTENDED_WEBINAR, "Attended Webinar", "Custom activity: person attended a webinar",
                    "Webinar Name", "string",
                    List.of(List.of("Duration Minutes", "integer"), List.of("Platform", "string"))));

    static Optional<ActivityType> byId(int id) {
        return ALL.stream().filter(t -> t.id == id).findFirst();
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("name", name);
        json.put("description", description);
        json.put("primaryAttribute", Map.of("name", primaryAttributeName, "dataType", primaryAttributeType));
        json.put("attributes", attributes.stream()
                .map(a -> Map.of("name", a.get(0), "dataType", a.get(1)))
                .toList());
        return json;
    }
}
