package dev.handoff.emulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.emulator.hubspot.HubSpotPortal.Contact;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One parsed {@code POST /crm/v3/objects/contacts/search} request: filter groups (OR of ANDs),
 * sorts, a free-text query, and offset paging capped at the account's search limit.
 */
final class ContactSearch {

    static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_GROUPS = 5;
    static final int MAX_FILTERS_PER_GROUP = 10;
    static final int MAX_FILTERS = 25;
    private static final Set<String> OPERATORS = Set.of("EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN",
            "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN");
    private static final List<String> QUERY_PROPERTIES = List.of("email", "firstname", "lastname", "company",
            "phone", "website");

    private record Filter(PropertyDef property, String operator, Comparable<Object> value, Comparable<Object> high,
                          List<Comparable<Object>> values, Pattern token) {
    }

    private record Sort(PropertyDef property, boolean descending) {
    }

    private final List<List<Filter>> groups;
    private final List<Sort> sorts;
    private final List<String> requested;
    private final String query;
    private final int limit;
    private final int after;

    private ContactSearch(List<List<Filter>> groups, List<Sort> sorts, List<String> requested, String query, int limit,
            int after) {
        this.groups = groups;
        this.sorts = sorts;
        this.requested = requested;
        this.query = query;
        this.limit = limit;
        this.after = after;
    }

    static ContactSearch parse(JsonNode body, Map<String, PropertyDef> properties, int cap) {
        List<List<Filter>> groups = new ArrayList<>();
        JsonNode groupNodes = body.get("filterGroups");
        int total = 0;
        if (groupNodes != null && !groupNodes.isNull()) {
            if (!groupNodes.isArray()) {
                throw HubSpotError.validation("Invalid input JSON: filterGroups must be an array");
            }
            if (groupNodes.size() > MAX_GROUPS) {
                throw HubSpotError.validation("Too many filter groups: " + groupNodes.size() + " (max " + MAX_GROUPS
                        + ")");
            }
            for (JsonNode g : groupNodes) {
                JsonNode filters = g.get("filters");
                List<Filter> group = new ArrayList<>();
                if (filters != null && filters.isArray()) {
                    if (filters.size() > MAX_FILTERS_PER_GROUP) {
                        throw HubSpotError.validation("Too many filters in a group: " + filters.size() + " (max "
                                + MAX_FILTERS_PER_GROUP + ")");
                    }
                    for (JsonNode f : filters) {
                        group.add(filter(f, properties));
                    }
                }
                total += group.size();
                groups.add(group);
            }
            if (total > MAX_FILTERS) {
                throw HubSpotError.validation("Too many filters: " + total + " (max " + MAX_FILTERS + ")");
            }
        }
        List<Sort> sorts = new ArrayList<>();
        JsonNode sortNodes = body.get("sorts");
        if (sortNodes != null && sortNodes.isArray()) {
            for (JsonNode s : sortNodes) {
                String name;
                boolean descending;
                if (s.isTextual()) {
                    name = s.asText().startsWith("-") ? s.asText().substring(1) : s.asText();
                    descending = s.asText().startsWith("-");
                } else {
                    name = s.path("propertyName").asText("");
                    String direction = s.path("direction").asText("ASCENDING");
                    if (!direction.equals("ASCENDING") && !direction.equals("DESCENDING")) {
                        throw HubSpotError.validation("Unknown sort direction " + direction);
                    }
                    descending = direction.equals("DESCENDING");
                }
                PropertyDef def = properties.get(name);
                if (def == null) {
                    throw HubSpotError.validation("Cannot sort on unknown property " + name);
                }
                sorts.add(new Sort(def, descending));
            }
        }
        List<String> requested = HubSpotPortal.stringList(body.get("properties"), "properties");
        String query = body.hasNonNull("query") ? body.get("query").asText().trim().toLowerCase(Locale.ROOT) : "";
        int limit = integer(body.get("limit"), DEFAULT_LIMIT, "limit");
        if (limit < 0 || limit > MAX_LIMIT) {
            throw HubSpotError.validation("limit must be between 0 and " + MAX_LIMIT + ", was " + limit);
        }
        int after = integer(body.get("after"), 0, "after");
        if (after < 0) {
            throw HubSpotError.validation("after must not be negative, was " + after);
        }
        if ((long) after + limit > cap) {
            throw HubSpotError.validation("Search results are limited: cannot page beyond " + cap + " results");
        }
        return new ContactSearch(groups, sorts, requested, query, limit, after);
    }

    private static int integer(JsonNode node, int fallback, String field) {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            return fallback;
        }
        try {
            return Integer.parseInt(node.asText().trim());
        } catch (NumberFormatException e) {
            throw HubSpotError.validation(field + " must be an integer, was " + node.asText());
        }
    }

    @SuppressWarnings("unchecked")
    private static Filter filter(JsonNode f, Map<String, PropertyDef> properties) {
        String name = f.path("propertyName").asText("");
        String operator = f.path("operator").asText("");
        if (!OPERATORS.contains(operator)) {
            throw HubSpotError.validation("Unknown filter operator '" + operator + "' on " + name);
        }
        PropertyDef def = properties.get(name);
        if (def == null) {
            throw HubSpotError.validation("There was a problem with the request: property " + name
                    + " does not exist and cannot be filtered on");
        }
        Comparable<Object> value = null;
        Comparable<Object> high = null;
        List<Comparable<Object>> values = List.of();
        Pattern token = null;
        switch (operator) {
            case "HAS_PROPERTY", "NOT_HAS_PROPERTY" -> {
            }
            case "IN", "NOT_IN" -> {
                JsonNode vs = f.get("values");
                if (vs == null || !vs.isArray() || vs.isEmpty()) {
                    throw HubSpotError.validation("Filter " + operator + " on " + name + " needs values");
                }
                List<Comparable<Object>> keys = new ArrayList<>();
                for (JsonNode v : vs) {
                    keys.add(key(def, v.asText(), name));
                }
                values = keys;
            }
            case "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN" -> {
                String v = requiredValue(f, "value", name, operator);
                token = Pattern.compile(("\\Q" + v.toLowerCase(Locale.ROOT) + "\\E").replace("*", "\\E.*\\Q"));
            }
            case "BETWEEN" -> {
                value = key(def, requiredValue(f, "value", name, operator), name);
                high = key(def, requiredValue(f, "highValue", name, operator), name);
            }
            default -> value = key(def, requiredValue(f, "value", name, operator), name);
        }
        return new Filter(def, operator, value, high, values, token);
    }

    private static String requiredValue(JsonNode f, String field, String name, String operator) {
        JsonNode v = f.get(field);
        if (v == null || v.isNull()) {
            throw HubSpotError.validation("Filter " + operator + " on " + name + " needs a " + field);
        }
        return v.asText();
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> key(PropertyDef def, String raw, String name) {
        Comparable<Object> k = (Comparable<Object>) def.key(raw);
        if (k == null) {
            throw HubSpotError.validation("Invalid filter value '" + raw + "' for " + def.type() + " property " + name);
        }
        return k;
    }

    Map<String, Object> run(Collection<Contact> contacts, HubSpotPortal portal) {
        record Row(Contact contact, List<Comparable<Object>> keys) {
        }
        List<Row> rows = new ArrayList<>();
        for (Contact c : contacts) {
            if (matches(c)) {
                List<Comparable<Object>> keys = new ArrayList<>(sorts.size());
                for (Sort s : sorts) {
                    keys.add(sortKey(s.property(), c));
                }
                rows.add(new Row(c, keys));
            }
        }
        Comparator<Row> order = (a, b) -> 0;
        for (int i = 0; i < sorts.size(); i++) {
            int index = i;
            boolean descending = sorts.get(i).descending();
            order = order.thenComparing((a, b) -> {
                Comparable<Object> x = a.keys().get(index);
                Comparable<Object> y = b.keys().get(index);
                if (x == null || y == null) {
                    return x == y ? 0 : x == null ? 1 : -1;
                }
                int cmp = x.compareTo(y);
                return descending ? -cmp : cmp;
            });
        }
        rows.sort(order.thenComparingLong(r -> r.contact().id));
        int from = Math.min(after, rows.size());
        int to = Math.min(from + limit, rows.size());
        List<Map<String, Object>> results = new ArrayList<>(to - from);
        List<String> props = requested.isEmpty() ? HubSpotPortal.DEFAULT_PROPERTIES : requested;
        for (Row r : rows.subList(from, to)) {
            results.add(portal.toJson(r.contact(), props));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", rows.size());
        body.put("results", results);
        if (to < rows.size()) {
            Map<String, Object> next = new LinkedHashMap<>();
            next.put("after", Integer.toString(to));
            next.put("link", "?after=" + to);
            body.put("paging", Map.of("next", next));
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> sortKey(PropertyDef def, Contact c) {
        return (Comparable<Object>) def.key(c.value(def.name()));
    }

    private boolean matches(Contact c) {
        if (!query.isEmpty() && QUERY_PROPERTIES.stream().map(c::value)
                .noneMatch(v -> v != null && v.toLowerCase(Locale.ROOT).contains(query))) {
            return false;
        }
        if (groups.isEmpty()) {
            return true;
        }
        for (List<Filter> group : groups) {
            if (group.stream().allMatch(f -> test(f, c))) {
                return true;
            }
        }
        return false;
    }

    private static boolean test(Filter f, Contact c) {
        String raw = c.value(f.property().name());
        if (f.operator().equals("HAS_PROPERTY")) {
            return raw != null;
        }
        if (f.operator().equals("NOT_HAS_PROPERTY")) {
            return raw == null;
        }
        @SuppressWarnings("unchecked")
        Comparable<Object> v = (Comparable<Object>) f.property().key(raw);
        switch (f.operator()) {
            case "NEQ":
                return v == null || v.compareTo(f.value()) != 0;
            case "NOT_IN":
                return v == null || f.values().stream().noneMatch(x -> v.compareTo(x) == 0);
            case "NOT_CONTAINS_TOKEN":
                return raw == null || !containsToken(f.token(), raw);
            default:
                break;
        }
        if (v == null) {
            return false;
        }
        return switch (f.operator()) {
            case "EQ" -> v.compareTo(f.value()) == 0;
            case "LT" -> v.compareTo(f.value()) < 0;
            case "LTE" -> v.compareTo(f.value()) <= 0;
            case "GT" -> v.compareTo(f.value()) > 0;
            case "GTE" -> v.compareTo(f.value()) >= 0;
            case "BETWEEN" -> v.compareTo(f.value()) >= 0 && v.compareTo(f.high()) <= 0;
            case "IN" -> f.values().stream().anyMatch(x -> v.compareTo(x) == 0);
            case "CONTAINS_TOKEN" -> containsToken(f.token(), raw);
            default -> false;
        };
    }

    private static boolean containsToken(Pattern token, String raw) {
        for (String t : raw.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}@._-]+")) {
            if (token.matcher(t).matches()) {
                return true;
            }
        }
        return token.matcher(raw.toLowerCase(Locale.ROOT)).matches();
    }
}
