package dev.handoff.definition;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.handoff.definition.DefinitionDocument.ActivityDoc;
import dev.handoff.definition.DefinitionDocument.BandDoc;
import dev.handoff.definition.DefinitionDocument.CriterionDoc;
import dev.handoff.definition.DefinitionDocument.DisqualifierDoc;
import dev.handoff.definition.DefinitionDocument.PartDoc;
import dev.handoff.definition.DefinitionDocument.PredicateDoc;
import dev.handoff.definition.DefinitionDocument.RejectReasonDoc;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a qualification definition YAML file into an immutable {@link Definition}, checking it
 * completely: unknown keys, wrong types, every rule a reader of the agreement relies on, lead field
 * names, band order, and whether the MQL thresholds can be reached at all. Every problem of the
 * file is reported, each naming the file, line, column and key; a file with any problem never loads.
 *
 * <p>List files named by {@code in_list: <name>} are read from {@code lists/<name>.txt} in the
 * directory of the definition file.
 */
public final class DefinitionLoader {

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final ObjectMapper MAPPER = YAMLMapper.builder(YAML)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern LIST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern REASON_CODE = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern DURATION = Pattern.compile("\\s*(?:(\\d+)\\s*d)?\\s*(?:(\\d+)\\s*h)?\\s*(?:(\\d+)\\s*m)?\\s*");

    private DefinitionLoader() {
    }

    /**
     * Loads and validates {@code file}; throws {@link DefinitionException} listing every problem
     * (one per line of its message) when there is any.
     */
    public static Definition load(Path file) {
        Result r = analyse(file);
        if (!r.problems.isEmpty()) {
            throw new DefinitionException(r.problems);
        }
        return r.definition;
    }

    /** Every problem of {@code file} in file order; empty when it is a valid definition. */
    public static List<DefinitionException.Problem> validate(Path file) {
        return analyse(file).problems;
    }

    private record Result(Definition definition, List<DefinitionException.Problem> problems) {
    }

    private static Result analyse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return failed(new DefinitionException.Problem(file, 0, 0, "", "cannot read the definition file: " + e));
        }
        KeyLocations where;
        JsonNode tree;
        try {
            where = KeyLocations.scan(YAML, text);
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return failed(syntaxError(file, e));
        } catch (IOException e) {
            return failed(new DefinitionException.Problem(file, 0, 0, "", "cannot read the definition file: " + e));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return failed(new DefinitionException.Problem(file, 1, 1, "", "the file is empty"));
        }
        List<DefinitionException.Problem> problems = new ArrayList<>();
        // Type and unknown-key problems are collected here and their values dropped, so that binding
        // cannot stop at the first one and the semantic checks below still see the rest of the file.
        new ShapeCheck(file, where, problems).check(tree, DefinitionDocument.class, "");
        if (!tree.isObject()) {
            return sorted(null, problems);
        }
        DefinitionDocument doc;
        try {
            doc = MAPPER.treeToValue(tree, DefinitionDocument.class);
        } catch (JsonMappingException e) {
            problems.add(bindingError(file, where, e));
            return sorted(null, problems);
        } catch (JsonProcessingException e) {
            problems.add(syntaxError(file, e));
            return sorted(null, problems);
        }
        Definition definition = new Builder(file, where, problems).build(doc);
        return sorted(definition, problems);
    }

    private static Result failed(DefinitionException.Problem problem) {
        return new Result(null, List.of(problem));
    }

    private static Result sorted(Definition definition, List<DefinitionException.Problem> problems) {
        List<DefinitionException.Problem> out = new ArrayList<>(problems);
        out.sort(Comparator.comparingInt(DefinitionException.Problem::line).thenComparingInt(DefinitionException.Problem::column));
        return new Result(out.isEmpty() ? definition : null, List.copyOf(out));
    }

    private static DefinitionException.Problem syntaxError(Path file, JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                Mark mark = m.getProblemMark();
                String problem = m.getProblem() == null ? firstLine(m.getMessage()) : m.getProblem();
                if (m.getContext() != null) {
                    problem = problem + " (" + m.getContext() + ")";
                }
                return new DefinitionException.Problem(file, mark.getLine() + 1, mark.getColumn() + 1, "", "invalid YAML: " + problem);
            }
        }
        JsonLocation loc = e.getLocation();
        String key = "";
        if (e.getProcessor() instanceof JsonParser p && p.getParsingContext() != null) {
            key = pointerToKey(p.getParsingContext().pathAsPointer().toString());
        }
        return new DefinitionException.Problem(file, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(), key,
                "invalid YAML: " + firstLine(e.getOriginalMessage()));
    }

    /** A binding failure the shape check did not foresee; reported where it happened. */
    private static DefinitionException.Problem bindingError(Path file, KeyLocations where, JsonMappingException e) {
        String key = pathOf(e.getPath());
        int[] pos = where.locate(key);
        return new DefinitionException.Problem(file, pos[0], pos[1], key, firstLine(e.getOriginalMessage()));
    }

    private static String pathOf(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String pointerToKey(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String seg : pointer.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            if (seg.chars().allMatch(Character::isDigit) && sb.length() > 0) {
                sb.append('[').append(seg).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(seg.replace("~1", "/").replace("~0", "~"));
            }
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * Walks the parsed tree along the {@link DefinitionDocument} records: reports each unknown key
     * and each value of the wrong type, and removes it from the tree so that binding succeeds.
     * The known keys of each record are its {@code @JsonProperty} names, so the document records
     * stay the single list of keys.
     */
    private static final class ShapeCheck {
        private final Path file;
        private final KeyLocations where;
        private final List<DefinitionException.Problem> problems;

        ShapeCheck(Path file, KeyLocations where, List<DefinitionException.Problem> problems) {
            this.file = file;
            this.where = where;
            this.problems = problems;
        }

        /** False when {@code node} does not have the shape of {@code type} (reported, to be dropped by the caller). */
        boolean check(JsonNode node, Type type, String key) {
            if (node.isNull()) {
                return true;
            }
            Class<?> raw = rawClass(type);
            if (raw == String.class) {
                return node.isValueNode() || wrong(key, "expected a single value");
            }
            if (raw == Integer.class) {
                return node.isIntegralNumber() && node.canConvertToInt() || wrong(key, node, "a whole number");
            }
            if (raw == Double.class) {
                return node.isNumber() || wrong(key, node, "a number");
            }
            if (raw == Boolean.class) {
                return node.isBoolean() || wrong(key, node, "true or false");
            }
            if (List.class.isAssignableFrom(raw)) {
                if (!node.isArray()) {
                    return wrong(key, "expected a list");
                }
                Type element = typeArgument(type, 0);
                for (int i = 0; i < node.size(); i++) {
                    if (!check(node.get(i), element, key + "[" + i + "]")) {
                        ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, (JsonNode) null);
                    }
                }
                return true;
            }
            if (!node.isObject()) {
                return wrong(key, "expected a mapping of keys to values");
            }
            ObjectNode object = (ObjectNode) node;
            if (Map.class.isAssignableFrom(raw)) {
                dropInvalid(object, null, typeArgument(type, 1), key);
                return true;
            }
            Map<String, Type> properties = new LinkedHashMap<>();
            for (RecordComponent rc : raw.getRecordComponents()) {
                com.fasterxml.jackson.annotation.JsonProperty p = rc.getAccessor()
                        .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                properties.put(p == null ? rc.getName() : p.value(), rc.getGenericType());
            }
            dropInvalid(object, properties, null, key);
            return true;
        }

        /** Checks each entry against {@code properties} (a record's keys) or, when that is null, against {@code mapValue}. */
        private void dropInvalid(ObjectNode object, Map<String, Type> properties, Type mapValue, String key) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = key.isEmpty() ? e.getKey() : key + "." + e.getKey();
                Type t = properties == null ? mapValue : properties.get(e.getKey());
                if (t == null) {
                    report(child, "unknown key '" + e.getKey() + "' (expected one of: "
                            + String.join(", ", new TreeSet<>(properties.keySet())) + ")");
                    it.remove();
                } else if (!check(e.getValue(), t, child)) {
                    it.remove();
                }
            }
        }

        private boolean wrong(String key, JsonNode node, String expected) {
            if (node.isValueNode()) {
                return wrong(key, "'" + node.asText() + "' is not " + expected);
            }
            return wrong(key, "expected " + expected);
        }

        private boolean wrong(String key, String problem) {
            report(key, problem);
            return false;
        }

        private void report(String key, String problem) {
            int[] pos = where.locate(key);
            problems.add(new DefinitionException.Problem(file, pos[0], pos[1], key, problem));
        }

        private static Class<?> rawClass(Type type) {
            if (type instanceof Class<?> c) {
                return c;
            }
            return (Class<?>) ((ParameterizedType) type).getRawType();
        }

        private static Type typeArgument(Type type, int index) {
            return ((ParameterizedType) type).getActualTypeArguments()[index];
        }
    }

    /**
     * Semantic checks and conversion of the bound document; knows where each key is in the file.
     * Each problem is recorded and checking goes on with the next independent part (the next
     * criterion, reason or section), so one run reports everything that is wrong.
     */
    private static final class Builder {
        private final Path file;
        private final KeyLocations where;
        private final List<DefinitionException.Problem> problems;
        private final Map<String, String> idKeys = new HashMap<>();
        private final Map<String, Set<String>> lists = new HashMap<>();
        /** Problems met so far, including those not recorded again because their key already has one. */
        private int failures;

        Builder(Path file, KeyLocations where, List<DefinitionException.Problem> problems) {
            this.file = file;
            this.where = where;
            this.problems = problems;
        }

        /** Thrown after a problem was recorded to abandon the part being built; never escapes the builder. */
        private static final class Invalid extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Invalid() {
                super(null, null, false, false);
            }
        }

        void report(String key, String problem) {
            failures++;
            for (DefinitionException.Problem p : problems) {
                // one problem per key: a value the shape check dropped is not also "required"
                if (p.key().equals(key)) {
                    return;
                }
            }
            int[] pos = where.locate(key);
            problems.add(new DefinitionException.Problem(file, pos[0], pos[1], key, problem));
        }

        Invalid fail(String key, String problem) {
            report(key, problem);
            return new Invalid();
        }

        /** The part built by {@code part}, or null when it had a problem (already recorded). */
        static <T> T attempt(Supplier<T> part) {
            try {
                return part.get();
            } catch (Invalid e) {
                return null;
            }
        }

        <T> T require(T value, String key) {
            if (value == null || (value instanceof String s && s.isBlank())
                    || (value instanceof Collection<?> c && c.isEmpty()) || (value instanceof Map<?, ?> m && m.isEmpty())) {
                throw fail(key, "is required");
            }
            return value;
        }

        Definition build(DefinitionDocument doc) {
            int before = failures;
            String name = attempt(() -> {
                String n = require(doc.definition(), "definition");
                if (!ID.matcher(n).matches()) {
                    throw fail("definition", "name must be letters, digits, '.', '_' or '-', got \"" + n + "\"");
                }
                return n;
            });
            Integer version = attempt(() -> {
                int v = require(doc.version(), "version");
                if (v < 1) {
                    throw fail("version", "must be 1 or more");
                }
                return v;
            });
            Map<String, String> agreedBy = attempt(() -> {
                Map<String, String> a = require(doc.agreedBy(), "agreed_by");
                for (Map.Entry<String, String> e : a.entrySet()) {
                    attempt(() -> require(e.getValue(), "agreed_by." + e.getKey()));
                }
                return a;
            });
            LocalDate effective = attempt(() -> {
                try {
                    return LocalDate.parse(require(doc.effective(), "effective").trim());
                } catch (DateTimeParseException e) {
                    throw fail("effective", "expected a date like 2026-11-01, got \"" + doc.effective() + "\"");
                }
            });
            Map<String, RejectReason> reasons = attempt(() -> rejectReasons(require(doc.rejectReasons(), "reject_reasons")));
            // codes as written, valid or not, so a disqualifier naming a code whose entry has its own
            // problem is not reported a second time as "not defined"
            Set<String> codes = doc.rejectReasons() == null ? Set.of() : doc.rejectReasons().keySet();
            int beforeFit = failures;
            Fit fit = attempt(() -> fit(require(doc.fit(), "fit"), codes));
            boolean fitComplete = fit != null && failures == beforeFit;
            int beforeEngagement = failures;
            Engagement engagement = attempt(() -> engagement(require(doc.engagement(), "engagement")));
            boolean engagementComplete = engagement != null && failures == beforeEngagement;
            MqlRule mql = attempt(() -> mql(require(doc.mql(), "mql")));
            Grades grades = attempt(() -> grades(require(doc.grades(), "grades")));
            Sla sla = attempt(() -> sla(require(doc.sla(), "sla")));
            if (mql != null && fitComplete) {
                checkFitReachable(fit, mql.fit());
            }
            if (mql != null && engagementComplete) {
                checkEngagementReachable(engagement, mql.engagement());
            }
            if (!problems.isEmpty()) {
                return null;
            }
            try {
                return new Definition(name, version, agreedBy, effective, fit, engagement, mql, grades, sla, reasons);
            } catch (IllegalArgumentException e) {
                report("", e.getMessage());
                return null;
            }
        }

        private void checkFitReachable(Fit fit, Threshold threshold) {
            int max = 0;
            for (Criterion c : fit.criteria()) {
                // a lead can always miss a criterion, so penalties never lower the best possible score
                max += Math.max(0, c.maxPoints());
            }
            if (!threshold.test(max)) {
                report("mql.when.fit", "fit threshold " + threshold + " can never be met: the fit criteria give at most "
                        + max + " points");
            }
        }

        private void checkEngagementReachable(Engagement engagement, Threshold threshold) {
            if (threshold.test(0)) {
                return;
            }
            for (ActivityRule r : engagement.activities()) {
                if (r.points() > 0) {
                    return;
                }
            }
            report("mql.when.engagement", "engagement threshold " + threshold
                    + " can never be met: no activity type in engagement.activities gives positive points");
        }

        private Map<String, RejectReason> rejectReasons(Map<String, RejectReasonDoc> docs) {
            Map<String, RejectReason> out = new LinkedHashMap<>();
            for (Map.Entry<String, RejectReasonDoc> e : docs.entrySet()) {
                RejectReason r = attempt(() -> rejectReason(e.getKey(), e.getValue()));
                if (r != null) {
                    out.put(r.code(), r);
                }
            }
            return out;
        }

        private RejectReason rejectReason(String code, RejectReasonDoc doc) {
            String key = "reject_reasons." + code;
            if (!REASON_CODE.matcher(code).matches()) {
                throw fail(key, "reason codes are upper-case letters, digits and '_' (the CRM picklist value), got \"" + code + "\"");
            }
            RejectReasonDoc d = require(doc, key);
            String actionText = require(d.action(), key + ".action");
            RejectReason.Action action;
            try {
                action = RejectReason.Action.valueOf(actionText.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw fail(key + ".action", "action must be disqualify, recycle or merge, got \"" + actionText + "\"");
            }
            int afterDays = 0;
            if (action == RejectReason.Action.RECYCLE) {
                if (d.afterDays() == null) {
                    throw fail(key, "recycle needs after_days (days before the lead may be handed off again; 0 = right away)");
                }
                afterDays = d.afterDays();
                if (afterDays < 0) {
                    throw fail(key + ".after_days", "must be 0 or more");
                }
            } else if (d.afterDays() != null) {
                throw fail(key + ".after_days", "after_days only applies to action recycle");
            }
            return new RejectReason(code, action, afterDays, Boolean.TRUE.equals(d.commentRequired()));
        }

        private Fit fit(DefinitionDocument.FitDoc doc, Set<String> reasonCodes) {
            List<CriterionDoc> criteriaDocs = require(doc.criteria(), "fit.criteria");
            List<Criterion> criteria = new ArrayList<>();
            for (int i = 0; i < criteriaDocs.size(); i++) {
                String key = "fit.criteria[" + i + "]";
                CriterionDoc c = criteriaDocs.get(i);
                Criterion criterion = attempt(() -> criterion(require(c, key), key));
                if (criterion != null) {
                    criteria.add(criterion);
                }
            }
            List<Disqualifier> disqualifiers = new ArrayList<>();
            List<DisqualifierDoc> disqualifyDocs = doc.disqualify() == null ? List.of() : doc.disqualify();
            for (int i = 0; i < disqualifyDocs.size(); i++) {
                String key = "fit.disqualify[" + i + "]";
                DisqualifierDoc d = disqualifyDocs.get(i);
                Disqualifier disqualifier = attempt(() -> disqualifier(require(d, key), key, reasonCodes));
                if (disqualifier != null) {
                    disqualifiers.add(disqualifier);
                }
            }
            return new Fit(criteria, disqualifiers);
        }

        private Criterion criterion(CriterionDoc c, String key) {
            int before = failures;
            String id = attempt(() -> id(c.id(), key));
            Condition condition = attempt(() -> condition(c, key, false));
            String field = attempt(() -> field(c, condition, key));
            Integer points = attempt(() -> {
                if (c.bands() != null) {
                    if (c.points() != null) {
                        throw fail(key + ".points", "a criterion with bands gives points per band, not here");
                    }
                    return 0;
                }
                return require(c.points(), key + ".points");
            });
            if (failures > before) {
                throw new Invalid();
            }
            return new Criterion(id, field, condition, points);
        }

        private Disqualifier disqualifier(DisqualifierDoc d, String key, Set<String> reasonCodes) {
            int before = failures;
            String id = attempt(() -> id(d.id(), key));
            Condition condition = attempt(() -> {
                Condition c = condition(d, key, false);
                if (c instanceof Condition.Bands) {
                    throw fail(key + ".bands", "a disqualifier cannot use bands; use in, in_list, matches, equals, exists, all or any");
                }
                return c;
            });
            String field = attempt(() -> field(d, condition, key));
            String reason = attempt(() -> {
                String r = require(d.reason(), key + ".reason");
                if (!reasonCodes.contains(r)) {
                    throw fail(key + ".reason", "reject reason '" + r + "' is not defined in reject_reasons (defined: "
                            + String.join(", ", reasonCodes) + ")");
                }
                return r;
            });
            if (failures > before) {
                throw new Invalid();
            }
            return new Disqualifier(id, field, condition, reason);
        }

        private String id(String text, String key) {
            String id = require(text, key + ".id");
            if (!ID.matcher(id).matches()) {
                throw fail(key + ".id", "ids are letters, digits, '.', '_' or '-', got \"" + id + "\"");
            }
            String previous = idKeys.putIfAbsent(id, key);
            if (previous != null) {
                throw fail(key + ".id", "duplicate id '" + id + "' (already used by " + previous + ")");
            }
            return id;
        }

        /** The field a criterion, disqualifier or part tests; empty for all/any, which name theirs in the parts. */
        private String field(PredicateDoc d, Condition condition, String key) {
            boolean composite = d.all() != null || d.any() != null;
            if (composite) {
                if (d.field() != null) {
                    throw fail(key + ".field", "all/any name their fields in each part; remove field here");
                }
                return "";
            }
            return leadField(require(d.field(), key + ".field").trim(), key + ".field");
        }

        private String leadField(String field, String key) {
            if (!LeadFields.isKnown(field)) {
                throw fail(key, "unknown lead field '" + field + "'" + LeadFields.closest(field)
                        .map(s -> " (did you mean " + s + "?)")
                        .orElse(" (known fields: " + String.join(", ", LeadFields.KNOWN) + ")"));
            }
            return field;
        }

        /**
         * The one test of {@code d}. Inside all/any ({@code nested}) bands carry no points: they only
         * test that a band is reached, the points belong to the criterion that combines the parts.
         */
        private Condition condition(PredicateDoc d, String key, boolean nested) {
            List<String> present = new ArrayList<>();
            if (d.bands() != null) {
                present.add("bands");
            }
            if (d.in() != null) {
                present.add("in");
            }
            if (d.inList() != null) {
                present.add("in_list");
            }
            if (d.matches() != null) {
                present.add("matches");
            }
            if (d.equalTo() != null) {
                present.add("equals");
            }
            if (d.exists() != null) {
                present.add("exists");
            }
            if (d.all() != null) {
                present.add("all");
            }
            if (d.any() != null) {
                present.add("any");
            }
            if (present.isEmpty()) {
                throw fail(key, "needs exactly one test: bands, in, in_list, matches, equals, exists, all or any");
            }
            if (present.size() > 1) {
                throw fail(key + "." + present.get(1), "needs exactly one test, found " + String.join(" and ", present));
            }
            switch (present.get(0)) {
                case "bands":
                    return bands(d.bands(), key + ".bands", nested);
                case "in": {
                    List<String> values = require(d.in(), key + ".in");
                    for (int j = 0; j < values.size(); j++) {
                        require(values.get(j), key + ".in[" + j + "]");
                    }
                    return new Condition.In(values);
                }
                case "in_list": {
                    String name = d.inList().trim();
                    if (!LIST_NAME.matcher(name).matches()) {
                        throw fail(key + ".in_list", "list names are letters, digits, '_' or '-' (the file lists/<name>.txt), got \""
                                + d.inList() + "\"");
                    }
                    return new Condition.InList(name, list(name, key + ".in_list"));
                }
                case "matches":
                    try {
                        return new Condition.Matches(Pattern.compile(require(d.matches(), key + ".matches")));
                    } catch (PatternSyntaxException e) {
                        throw fail(key + ".matches", "bad regex \"" + e.getPattern() + "\": " + e.getDescription()
                                + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
                    }
                case "equals":
                    return new Condition.Equals(require(d.equalTo(), key + ".equals"));
                case "all":
                    return new Condition.All(parts(d.all(), key + ".all"));
                case "any":
                    return new Condition.Any(parts(d.any(), key + ".any"));
                default:
                    return new Condition.Exists(d.exists());
            }
        }

        private List<Condition.Part> parts(List<PartDoc> docs, String key) {
            require(docs, key);
            int before = failures;
            List<Condition.Part> parts = new ArrayList<>();
            for (int j = 0; j < docs.size(); j++) {
                String partKey = key + "[" + j + "]";
                PartDoc p = docs.get(j);
                Condition.Part part = attempt(() -> {
                    PartDoc doc = require(p, partKey);
                    int partBefore = failures;
                    Condition condition = attempt(() -> condition(doc, partKey, true));
                    String field = attempt(() -> field(doc, condition, partKey));
                    if (failures > partBefore) {
                        throw new Invalid();
                    }
                    return new Condition.Part(field, condition);
                });
                if (part != null) {
                    parts.add(part);
                }
            }
            if (failures > before) {
                throw new Invalid();
            }
            return parts;
        }

        private Condition.Bands bands(List<BandDoc> docs, String key, boolean nested) {
            require(docs, key);
            int before = failures;
            List<Condition.Band> bands = new ArrayList<>();
            Condition.Band above = null;
            for (int j = 0; j < docs.size(); j++) {
                String bandKey = key + "[" + j + "]";
                BandDoc b = docs.get(j);
                Condition.Band previous = above;
                Condition.Band band = attempt(() -> band(require(b, bandKey), bandKey, previous, nested));
                if (band != null) {
                    bands.add(band);
                }
                // an invalid band is skipped for the order check, so the next band is compared with the last good one
                above = band == null ? previous : band;
            }
            if (failures > before) {
                throw new Invalid();
            }
            return new Condition.Bands(bands);
        }

        private Condition.Band band(BandDoc b, String key, Condition.Band above, boolean nested) {
            int before = failures;
            double min = require(b.min(), key + ".min");
            if (Double.isNaN(min) || Double.isInfinite(min)) {
                throw fail(key + ".min", "must be a finite number");
            }
            if (above != null && min == above.min()) {
                report(key + ".min", "duplicate band min " + plain(min) + ": each band needs its own min");
            } else if (above != null && min > above.min()) {
                report(key + ".min", "band mins must be strictly descending (highest first): "
                        + plain(min) + " is not below " + plain(above.min()));
            }
            OptionalDouble max = OptionalDouble.empty();
            if (b.max() != null) {
                double m = b.max();
                if (!(m > min)) {
                    report(key + ".max", "max " + plain(m) + " must be above min " + plain(min));
                } else if (above != null && min < above.min() && m > above.min()) {
                    report(key + ".max", "max " + plain(m) + " overlaps the band above, which starts at " + plain(above.min()));
                }
                max = OptionalDouble.of(m);
            }
            int points = 0;
            if (nested) {
                if (b.points() != null) {
                    report(key + ".points", "bands inside all/any only test that the band is reached;"
                            + " give the points on the criterion");
                }
            } else {
                points = require(b.points(), key + ".points");
            }
            if (failures > before) {
                throw new Invalid();
            }
            return new Condition.Band(min, max, points);
        }

        private Set<String> list(String name, String key) {
            Set<String> cached = lists.get(name);
            if (cached != null) {
                return cached;
            }
            Path dir = file.toAbsolutePath().getParent();
            Path listFile = dir.resolve("lists").resolve(name + ".txt");
            if (!Files.isRegularFile(listFile)) {
                throw fail(key, "list file not found: " + listFile);
            }
            Set<String> values = new LinkedHashSet<>();
            try {
                for (String line : Files.readAllLines(listFile, StandardCharsets.UTF_8)) {
                    int hash = line.indexOf('#');
                    String value = (hash >= 0 ? line.substring(0, hash) : line).trim();
                    if (!value.isEmpty()) {
                        values.add(Condition.normalize(value));
                    }
                }
            } catch (IOException e) {
                throw fail(key, "cannot read list file " + listFile + ": " + e);
            }
            if (values.isEmpty()) {
                throw fail(key, "list file " + listFile + " has no entries");
            }
            Set<String> result = java.util.Collections.unmodifiableSet(values);
            lists.put(name, result);
            return result;
        }

        private Engagement engagement(DefinitionDocument.EngagementDoc doc) {
            int before = failures;
            Integer halfLife = attempt(() -> {
                int h = require(doc.halfLifeDays(), "engagement.half_life_days");
                if (h < 1) {
                    throw fail("engagement.half_life_days", "must be 1 or more");
                }
                return h;
            });
            List<ActivityDoc> docs = require(doc.activities(), "engagement.activities");
            List<ActivityRule> rules = new ArrayList<>();
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < docs.size(); i++) {
                String key = "engagement.activities[" + i + "]";
                ActivityDoc a = docs.get(i);
                ActivityRule rule = attempt(() -> activity(require(a, key), key, seen));
                if (rule != null) {
                    rules.add(rule);
                }
            }
            if (failures > before) {
                throw new Invalid();
            }
            return new Engagement(halfLife, rules);
        }

        private ActivityRule activity(ActivityDoc a, String key, Map<String, String> seen) {
            int before = failures;
            String type = attempt(() -> {
                String t = require(a.type(), key + ".type").trim();
                if (!ID.matcher(t).matches()) {
                    throw fail(key + ".type", "activity types are letters, digits, '.', '_' or '-', got \"" + t + "\"");
                }
                String previous = seen.putIfAbsent(t, key);
                if (previous != null) {
                    throw fail(key + ".type", "duplicate activity type '" + t + "' (already used by " + previous + ")");
                }
                return t;
            });
            Integer points = attempt(() -> require(a.points(), key + ".points"));
            if (a.maxCount() != null && a.maxCount() < 1) {
                report(key + ".max_count", "must be 1 or more");
            }
            if (a.windowDays() != null && a.windowDays() < 1) {
                report(key + ".window_days", "must be 1 or more");
            }
            if (failures > before) {
                throw new Invalid();
            }
            return new ActivityRule(type, points,
                    a.maxCount() == null ? OptionalInt.empty() : OptionalInt.of(a.maxCount()),
                    a.windowDays() == null ? OptionalInt.empty() : OptionalInt.of(a.windowDays()));
        }

        private MqlRule mql(DefinitionDocument.MqlDoc doc) {
            int before = failures;
            DefinitionDocument.WhenDoc when = require(doc.when(), "mql.when");
            Threshold fit = attempt(() -> threshold(when.fit(), "mql.when.fit"));
            Threshold engagement = attempt(() -> threshold(when.engagement(), "mql.when.engagement"));
            List<String> required = doc.requiredFields() == null ? List.of() : doc.requiredFields();
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < required.size(); i++) {
                String key = "mql.required_fields[" + i + "]";
                String value = required.get(i);
                String f = attempt(() -> leadField(require(value, key).trim(), key));
                if (f == null) {
                    continue;
                }
                if (fields.contains(f)) {
                    report(key, "'" + f + "' is listed twice");
                }
                fields.add(f);
            }
            if (failures > before) {
                throw new Invalid();
            }
            return new MqlRule(fit, engagement, fields);
        }

        private Threshold threshold(String text, String key) {
            try {
                return Threshold.parse(require(text, key));
            } catch (IllegalArgumentException e) {
                throw fail(key, e.getMessage());
            }
        }

        private Grades grades(DefinitionDocument.GradesDoc doc) {
            int before = failures;
            DefinitionDocument.FitGradesDoc fit = attempt(() -> require(doc.fit(), "grades.fit"));
            DefinitionDocument.EngagementGradesDoc eng = attempt(() -> require(doc.engagement(), "grades.engagement"));
            if (fit != null) {
                Integer a = attempt(() -> require(fit.a(), "grades.fit.A"));
                Integer b = attempt(() -> require(fit.b(), "grades.fit.B"));
                Integer c = attempt(() -> require(fit.c(), "grades.fit.C"));
                descending(a, b, c, "grades.fit.B", "grades.fit.C", "A > B > C");
            }
            if (eng != null) {
                Integer one = attempt(() -> require(eng.one(), "grades.engagement.1"));
                Integer two = attempt(() -> require(eng.two(), "grades.engagement.2"));
                Integer three = attempt(() -> require(eng.three(), "grades.engagement.3"));
                descending(one, two, three, "grades.engagement.2", "grades.engagement.3", "1 > 2 > 3");
            }
            if (failures > before) {
                throw new Invalid();
            }
            return new Grades(fit.a(), fit.b(), fit.c(), eng.one(), eng.two(), eng.three());
        }

        private void descending(Integer first, Integer second, Integer third, String secondKey, String thirdKey, String order) {
            if (first != null && second != null && !(second < first)) {
                report(secondKey, "grade minimums must be strictly descending " + order);
            }
            if (second != null && third != null && !(third < second)) {
                report(thirdKey, "grade minimums must be strictly descending " + order);
            }
        }

        private Sla sla(DefinitionDocument.SlaDoc doc) {
            int before = failures;
            Duration acceptWithin = attempt(() -> duration(require(doc.acceptWithin(), "sla.accept_within"), "sla.accept_within"));
            Sla.Quantity quantity = attempt(() -> {
                DefinitionDocument.QuantityDoc q = require(doc.quantity(), "sla.quantity");
                Sla.Period per = attempt(() -> enumValue(Sla.Period.class, require(q.per(), "sla.quantity.per"), "sla.quantity.per"));
                Integer min = attempt(() -> require(q.min(), "sla.quantity.min"));
                Integer max = attempt(() -> require(q.max(), "sla.quantity.max"));
                if (min != null && min < 0) {
                    throw fail("sla.quantity.min", "must be 0 or more");
                }
                if (min != null && max != null && max < min) {
                    throw fail("sla.quantity.max", "max " + max + " is below min " + min);
                }
                if (per == null || min == null || max == null) {
                    throw new Invalid();
                }
                return new Sla.Quantity(per, min, max);
            });
            Sla.Quality quality = attempt(() -> {
                DefinitionDocument.QualityDoc ql = require(doc.quality(), "sla.quality");
                Sla.Metric metric = attempt(() -> enumValue(Sla.Metric.class, require(ql.metric(), "sla.quality.metric"),
                        "sla.quality.metric"));
                Double target = attempt(() -> {
                    double t = require(ql.target(), "sla.quality.target");
                    if (!(t >= 0 && t <= 1)) {
                        throw fail("sla.quality.target", "target is a share between 0 and 1 (0.25 = 25%), got " + plain(t));
                    }
                    return t;
                });
                Integer windowDays = attempt(() -> {
                    int w = require(ql.windowDays(), "sla.quality.window_days");
                    if (w < 1) {
                        throw fail("sla.quality.window_days", "must be 1 or more");
                    }
                    return w;
                });
                if (metric == null || target == null || windowDays == null) {
                    throw new Invalid();
                }
                return new Sla.Quality(metric, target, windowDays);
            });
            List<String> feedback = doc.feedbackRequired() == null ? List.of() : doc.feedbackRequired();
            for (int i = 0; i < feedback.size(); i++) {
                String key = "sla.feedback_required[" + i + "]";
                String value = feedback.get(i);
                attempt(() -> require(value, key));
            }
            if (failures > before) {
                throw new Invalid();
            }
            return new Sla(acceptWithin, quantity, quality, feedback);
        }

        private Duration duration(String text, String key) {
            Matcher m = DURATION.matcher(text);
            if (!m.matches() || (m.group(1) == null && m.group(2) == null && m.group(3) == null)) {
                throw fail(key, "expected a duration like 30m, 24h, 2d or 1d12h, got \"" + text + "\"");
            }
            Duration d = Duration.ZERO;
            try {
                if (m.group(1) != null) {
                    d = d.plusDays(Long.parseLong(m.group(1)));
                }
                if (m.group(2) != null) {
                    d = d.plusHours(Long.parseLong(m.group(2)));
                }
                if (m.group(3) != null) {
                    d = d.plusMinutes(Long.parseLong(m.group(3)));
                }
            } catch (NumberFormatException | ArithmeticException e) {
                throw fail(key, "duration \"" + text + "\" is too long");
            }
            if (d.isZero()) {
                throw fail(key, "must be longer than zero");
            }
            return d;
        }

        private <E extends Enum<E>> E enumValue(Class<E> type, String text, String key) {
            try {
                return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                List<String> names = new ArrayList<>();
                for (E c : type.getEnumConstants()) {
                    names.add(c.name().toLowerCase(Locale.ROOT));
                }
                throw fail(key, "expected one of " + String.join(", ", names) + ", got \"" + text + "\"");
            }
        }

        private static String plain(double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
