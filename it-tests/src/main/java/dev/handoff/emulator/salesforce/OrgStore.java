package dev.handoff.emulator.salesforce;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The records of the emulated org and the write rules Salesforce applies to them. Not thread-safe:
 * the emulator calls it under its lock. Records are maps keyed by canonical API field name.
 */
final class OrgStore {

    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{15}|[A-Za-z0-9]{18}");
    private static final Pattern DECIMAL_TEXT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?\\d+(\\.0+)?");

    private final Map<SObjectSchema, LinkedHashMap<String, Map<String, Object>>> records = new LinkedHashMap<>();
    private final Map<SObjectSchema, Long> sequences = new LinkedHashMap<>();
    private final String integrationUserId;
    private final String leadQueueId;
    private final List<String> rejectReasons;
    private final Consumer<Map<String, Object>> onLeadCreated;

    OrgStore(String integrationUserId, String leadQueueId, List<String> rejectReasons,
             Consumer<Map<String, Object>> onLeadCreated) {
        this.integrationUserId = integrationUserId;
        this.leadQueueId = leadQueueId;
        this.rejectReasons = List.copyOf(rejectReasons);
        this.onLeadCreated = onLeadCreated;
        records.put(SObjectSchema.LEAD, new LinkedHashMap<>());
        records.put(SObjectSchema.CONTACT, new LinkedHashMap<>());
        records.put(SObjectSchema.ACCOUNT, new LinkedHashMap<>());
        records.put(SObjectSchema.OPPORTUNITY, new LinkedHashMap<>());
    }

    /** Every record, including those in the recycle bin (what {@code queryAll} sees). */
    Collection<Map<String, Object>> all(SObjectSchema schema) {
        return records.get(schema).values();
    }

    /** Records not deleted (what {@code query} and every write see). */
    List<Map<String, Object>> live(SObjectSchema schema) {
        return all(schema).stream().filter(r -> !isDeleted(r)).toList();
    }

    static boolean isDeleted(Map<String, Object> record) {
        return Boolean.TRUE.equals(record.get("IsDeleted"));
    }

    Optional<Map<String, Object>> byId(SObjectSchema schema, String id) {
        if (id == null) {
            return Optional.empty();
        }
        // 15-char ids are case-sensitive aliases of their 18-char form.
        String key = id.length() == 15 ? Ids.withSuffix(id) : id;
        return Optional.ofNullable(records.get(schema).get(key));
    }

    /**
     * Every record of each object in insertion order, and per (object, key field) an index from the
     * case-folded key value to the records that had it when indexed. Index hits are checked against
     * the record's current value, so an entry gone stale is harmless; records inserted or updated
     * since are added before each lookup. A 200-record upsert into an org of 200,000 Leads is then
     * 200 hash lookups, not 40 million comparisons.
     */
    private final Map<SObjectSchema, List<Map<String, Object>>> insertionLog = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Map<String, Object>>>> keyIndex = new java.util.HashMap<>();
    private final Map<String, Integer> keyIndexSeen = new java.util.HashMap<>();
    private final List<Map<String, Object>> updatedSinceIndexed = new ArrayList<>();

    private void logged(SObjectSchema schema, Map<String, Object> record) {
        insertionLog.computeIfAbsent(schema, k -> new ArrayList<>()).add(record);
    }

    /** Live records whose {@code key} equals {@code value}; deleted records never match an upsert key. */
    List<Map<String, Object>> byExternalId(SObjectSchema schema, FieldDef key, String value) {
        String name = schema.name() + "." + key.name();
        Map<String, List<Map<String, Object>>> index = keyIndex.computeIfAbsent(name, k -> new java.util.HashMap<>());
        List<Map<String, Object>> log = insertionLog.getOrDefault(schema, List.of());
        for (int i = keyIndexSeen.getOrDefault(name, 0); i < log.size(); i++) {
            addToIndex(index, key, log.get(i));
        }
        keyIndexSeen.put(name, log.size());
        for (Map<String, Object> r : updatedSinceIndexed) {
            for (Map.Entry<String, Map<String, List<Map<String, Object>>>> e : keyIndex.entrySet()) {
                String field = e.getKey().substring(e.getKey().indexOf('.') + 1);
                Object v = r.get(field);
                if (v != null) {
                    List<Map<String, Object>> at = e.getValue().computeIfAbsent(fold(v.toString()), x -> new ArrayList<>());
                    if (at.stream().noneMatch(x -> x == r)) {
                        at.add(r);
                    }
                }
            }
        }
        updatedSinceIndexed.clear();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : index.getOrDefault(fold(value), List.of())) {
            Object v = r.get(key.name());
            // External ids are case-insensitive unless the field is marked case-sensitive unique.
            if (!isDeleted(r) && v != null && v.toString().equalsIgnoreCase(value)) {
                out.add(r);
            }
        }
        return out;
    }

    private static void addToIndex(Map<String, List<Map<String, Object>>> index, FieldDef key, Map<String, Object> r) {
        Object v = r.get(key.name());
        if (v != null) {
            index.computeIfAbsent(fold(v.toString()), x -> new ArrayList<>()).add(r);
        }
    }

    /** The same equality as {@link String#equalsIgnoreCase}. */
    private static String fold(String s) {
        char[] out = new char[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Character.toLowerCase(Character.toUpperCase(s.charAt(i)));
        }
        return new String(out);
    }

    /** Inserts a record the way a person in the org would, bypassing the API (test fixtures, demo data). */
    Map<String, Object> insertDirect(SObjectSchema schema, Map<String, Object> values, String userId, Instant now) {
        Map<String, Object> r = blank(schema, now, userId);
        r.put("OwnerId", userId);
        r.putAll(values);
        records.get(schema).put((String) r.get("Id"), r);
        logged(schema, r);
        return r;
    }

    /**
     * Upsert one batch. {@code key} is null when matching on Id. Results are in input order; a
     * failing record never stops the others (partial success, the API default).
     */
    List<WriteResult> upsert(SObjectSchema schema, FieldDef key, List<InputSObject> batch, Instant now,
                             boolean useDefaultRule) {
        List<WriteResult> results = new ArrayList<>();
        Set<String> keysInBatch = new HashSet<>();
        for (InputSObject in : batch) {
            Optional<SObjectSchema> type = SObjectSchema.forName(in.type());
            if (type.isEmpty() || type.get() != schema) {
                results.add(WriteResult.failed(null, new RecordError(List.of(), "Cannot upsert records of different "
                        + "types in one call: expected " + schema.name() + ", got " + in.type(), "INVALID_TYPE")));
                continue;
            }
            if (key == null) {
                String id = in.id() != null ? in.id() : blankToNull(valueIgnoringCase(in.values(), "Id"));
                if (id == null) {
                    results.add(create(schema, in, now, useDefaultRule));
                } else {
                    results.add(updateById(schema, id, in, now));
                }
                continue;
            }
            String keyValue = blankToNull(valueIgnoringCase(in.values(), key.name()));
            if (keyValue == null) {
                results.add(WriteResult.failed(null, new RecordError(List.of(key.name()),
                        key.name() + " not specified", "MISSING_ARGUMENT")));
                continue;
            }
            if (!keysInBatch.add(keyValue.toLowerCase(Locale.ROOT))) {
                results.add(WriteResult.failed(null, new RecordError(List.of(key.name()),
                        "Duplicate external id specified: " + keyValue, "DUPLICATE_EXTERNAL_ID")));
                continue;
            }
            List<Map<String, Object>> matches = byExternalId(schema, key, keyValue);
            if (matches.size() > 1) {
                List<String> ids = matches.stream().map(m -> (String) m.get("Id")).toList();
                results.add(WriteResult.failed(null, new RecordError(List.of(key.name()), key.name()
                        + ": more than one record found for external id field: " + ids, "DUPLICATE_EXTERNAL_ID")));
            } else if (matches.size() == 1) {
                results.add(update(schema, matches.get(0), in, now));
            } else {
                results.add(create(schema, in, now, useDefaultRule));
            }
        }
        return results;
    }

    List<WriteResult> create(List<InputSObject> batch, Instant now, boolean useDefaultRule) {
        List<WriteResult> out = new ArrayList<>();
        for (InputSObject in : batch) {
            SObjectSchema schema = SObjectSchema.forName(in.type()).orElseThrow();
            if (in.id() != null) {
                out.add(WriteResult.failed(null, new RecordError(List.of("Id"),
                        "cannot specify Id in an insert call", "INVALID_FIELD_FOR_INSERT_UPDATE")));
            } else {
                out.add(create(schema, in, now, useDefaultRule));
            }
        }
        return out;
    }

    List<WriteResult> update(List<InputSObject> batch, Instant now) {
        List<WriteResult> out = new ArrayList<>();
        for (InputSObject in : batch) {
            SObjectSchema schema = SObjectSchema.forName(in.type()).orElseThrow();
            String id = in.id() != null ? in.id() : blankToNull(valueIgnoringCase(in.values(), "Id"));
            if (id == null) {
                out.add(WriteResult.failed(null, new RecordError(List.of(), "Id not specified in an update call",
                        "MISSING_ARGUMENT")));
            } else {
                out.add(updateById(schema, id, in, now));
            }
        }
        return out;
    }

    private WriteResult updateById(SObjectSchema schema, String id, InputSObject in, Instant now) {
        if (!ID.matcher(id).matches() || !id.startsWith(schema.keyPrefix())) {
            return WriteResult.failed(null, new RecordError(List.of("Id"), schema.name() + " ID: id value of incorrect type: "
                    + id, "MALFORMED_ID"));
        }
        return byId(schema, id)
                .map(existing -> isDeleted(existing)
                        ? WriteResult.failed(null, new RecordError(List.of(), "entity is deleted", "ENTITY_IS_DELETED"))
                        : update(schema, existing, in, now))
                .orElseGet(() -> WriteResult.failed(null, new RecordError(List.of(), "invalid cross reference id",
                        "INVALID_CROSS_REFERENCE_KEY")));
    }

    private WriteResult create(SObjectSchema schema, InputSObject in, Instant now, boolean useDefaultRule) {
        Map<String, Object> draft = blank(schema, now, integrationUserId);
        if (schema == SObjectSchema.LEAD) {
            // Assignment rules route new leads to the lead queue; without them the running user owns the lead.
            draft.put("OwnerId", useDefaultRule ? leadQueueId : integrationUserId);
            draft.put("Status", "Open - Not Contacted");
        } else {
            draft.put("OwnerId", integrationUserId);
        }
        List<RecordError> errors = apply(schema, draft, in);
        if (!errors.isEmpty()) {
            return WriteResult.failed(null, errors);
        }
        String id = (String) draft.get("Id");
        records.get(schema).put(id, draft);
        logged(schema, draft);
        if (schema == SObjectSchema.LEAD) {
            onLeadCreated.accept(draft);
        }
        return new WriteResult(true, id, List.of());
    }

    private WriteResult update(SObjectSchema schema, Map<String, Object> existing, InputSObject in, Instant now) {
        String id = (String) existing.get("Id");
        if (Boolean.TRUE.equals(existing.get("IsConverted"))) {
            return WriteResult.failed(id, new RecordError(List.of(), "cannot reference converted lead",
                    "CANNOT_UPDATE_CONVERTED_LEAD"));
        }
        Map<String, Object> draft = new LinkedHashMap<>(existing);
        List<RecordError> errors = apply(schema, draft, in);
        if (!errors.isEmpty()) {
            return WriteResult.failed(id, errors);
        }
        // Every successful write is an audited change, even when no value differs: this is the echo.
        draft.put("LastModifiedDate", now);
        draft.put("LastModifiedById", integrationUserId);
        draft.put("SystemModstamp", now);
        existing.putAll(draft);
        if (!keyIndex.isEmpty()) {
            updatedSinceIndexed.add(existing);
        }
        return new WriteResult(false, id, List.of());
    }

    /** Moves a record to the recycle bin, as a user deleting it in the UI does. */
    void delete(SObjectSchema schema, String id, String userId, Instant now) {
        Map<String, Object> r = byId(schema, id).filter(x -> !isDeleted(x))
                .orElseThrow(() -> new IllegalArgumentException("no live " + schema.name() + " with id " + id));
        r.put("IsDeleted", true);
        touch(r, userId, now);
    }

    /**
     * Merges {@code victimId} into {@code masterId} the way the merge wizard does: the master keeps
     * its values and is modified, the victim is deleted and points to the master.
     */
    void merge(SObjectSchema schema, String masterId, String victimId, String userId, Instant now) {
        Map<String, Object> master = byId(schema, masterId).filter(x -> !isDeleted(x))
                .orElseThrow(() -> new IllegalArgumentException("no live " + schema.name() + " with id " + masterId));
        Map<String, Object> victim = byId(schema, victimId).filter(x -> !isDeleted(x))
                .orElseThrow(() -> new IllegalArgumentException("no live " + schema.name() + " with id " + victimId));
        if (master == victim) {
            throw new IllegalArgumentException("a record cannot be merged into itself: " + masterId);
        }
        if (Boolean.TRUE.equals(master.get("IsConverted")) || Boolean.TRUE.equals(victim.get("IsConverted"))) {
            throw new IllegalStateException("converted leads cannot be merged");
        }
        victim.put("IsDeleted", true);
        victim.put("MasterRecordId", master.get("Id"));
        touch(victim, userId, now);
        touch(master, userId, now);
    }

    record Conversion(String accountId, String contactId, String opportunityId) {
    }

    /**
     * Converts a Lead into a new Account, Contact and open Opportunity, as the Convert button
     * does with default settings, and marks the Lead converted with {@code convertedStatus}.
     */
    Conversion convert(Map<String, Object> lead, String convertedStatus, String firstOpenStage, LocalDate closeDate,
                       String userId, Instant now) {
        String company = (String) lead.get("Company");
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("Name", company);
        String accountId = (String) insertDirect(SObjectSchema.ACCOUNT, account, userId, now).get("Id");
        Map<String, Object> contact = new LinkedHashMap<>();
        for (String f : List.of("FirstName", "LastName", "Email", "Title")) {
            contact.put(f, lead.get(f));
        }
        contact.put("AccountId", accountId);
        String contactId = (String) insertDirect(SObjectSchema.CONTACT, contact, userId, now).get("Id");
        Map<String, Object> opportunity = new LinkedHashMap<>();
        opportunity.put("AccountId", accountId);
        // The conversion dialog proposes "<Company>-" as the opportunity name.
        opportunity.put("Name", abbreviate(company + "-", 120));
        opportunity.put("StageName", firstOpenStage);
        opportunity.put("IsClosed", false);
        opportunity.put("IsWon", false);
        opportunity.put("CloseDate", closeDate);
        String opportunityId = (String) insertDirect(SObjectSchema.OPPORTUNITY, opportunity, userId, now).get("Id");
        lead.put("IsConverted", true);
        lead.put("ConvertedDate", LocalDate.ofInstant(now, ZoneOffset.UTC));
        lead.put("ConvertedAccountId", accountId);
        lead.put("ConvertedContactId", contactId);
        lead.put("ConvertedOpportunityId", opportunityId);
        lead.put("Status", convertedStatus);
        touch(lead, userId, now);
        return new Conversion(accountId, contactId, opportunityId);
    }

    /** Closes an Opportunity won (with an amount) or lost, on the day it closes. */
    void close(String opportunityId, boolean won, String stage, Double amount, String userId, Instant now) {
        byId(SObjectSchema.OPPORTUNITY, opportunityId).filter(o -> !isDeleted(o)).ifPresent(o -> {
            o.put("StageName", stage);
            o.put("IsClosed", true);
            o.put("IsWon", won);
            if (amount != null) {
                o.put("Amount", amount);
            }
            o.put("CloseDate", LocalDate.ofInstant(now, ZoneOffset.UTC));
            touch(o, userId, now);
        });
    }

    private static void touch(Map<String, Object> r, String userId, Instant now) {
        r.put("LastModifiedDate", now);
        r.put("LastModifiedById", userId);
        r.put("SystemModstamp", now);
    }

    private Map<String, Object> blank(SObjectSchema schema, Instant now, String userId) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (FieldDef f : schema.fields()) {
            r.put(f.name(), null);
        }
        long seq = sequences.merge(schema, 1L, Long::sum);
        r.put("Id", Ids.of(schema.keyPrefix(), seq));
        r.put("IsDeleted", false);
        if (schema == SObjectSchema.LEAD) {
            r.put("IsConverted", false);
        }
        r.put("CreatedDate", now);
        r.put("CreatedById", userId);
        r.put("LastModifiedDate", now);
        r.put("LastModifiedById", userId);
        r.put("SystemModstamp", now);
        return r;
    }

    /** Validates and converts every supplied value into {@code draft}; returns all problems found. */
    private List<RecordError> apply(SObjectSchema schema, Map<String, Object> draft, InputSObject in) {
        List<RecordError> errors = new ArrayList<>();
        Set<String> readOnly = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : in.values().entrySet()) {
            Optional<FieldDef> def = schema.field(e.getKey());
            if (def.isEmpty()) {
                errors.add(new RecordError(List.of(e.getKey()), SObjectSchema.noSuchColumn(e.getKey(), schema.name()),
                        "INVALID_FIELD"));
                continue;
            }
            FieldDef f = def.get();
            if (f.name().equals("Id")) {
                continue;
            }
            if (!f.writable()) {
                readOnly.add(f.name());
                continue;
            }
            String raw = e.getValue();
            if (raw.isEmpty()) {
                // The API stores an empty string as null.
                draft.put(f.name(), null);
                continue;
            }
            convert(f, raw).ifPresentOrElse(err -> errors.add(err), () -> draft.put(f.name(), parsed(f, raw)));
        }
        for (String name : in.fieldsToNull()) {
            Optional<FieldDef> def = schema.field(name);
            if (def.isEmpty()) {
                errors.add(new RecordError(List.of(name), SObjectSchema.noSuchColumn(name, schema.name()),
                        "INVALID_FIELD"));
            } else if (!def.get().writable()) {
                readOnly.add(def.get().name());
            } else {
                draft.put(def.get().name(), null);
            }
        }
        if (!readOnly.isEmpty()) {
            errors.add(new RecordError(List.copyOf(readOnly), "Unable to create/update fields: "
                    + String.join(", ", readOnly) + ". Please check the security settings of this field and verify "
                    + "that it is read/write for your profile or permission set.", "INVALID_FIELD_FOR_INSERT_UPDATE"));
        }
        List<String> missing = new ArrayList<>();
        for (FieldDef f : schema.fields()) {
            if (f.required() && draft.get(f.name()) == null) {
                missing.add(f.name());
            }
        }
        if (!missing.isEmpty()) {
            errors.add(new RecordError(List.copyOf(missing), "Required fields are missing: " + missing,
                    "REQUIRED_FIELD_MISSING"));
        }
        return errors;
    }

    /** Empty when {@code raw} is acceptable for {@code f}, else the error Salesforce reports. */
    private Optional<RecordError> convert(FieldDef f, String raw) {
        FieldType t = f.type();
        if (t.isText()) {
            int length = raw.codePointCount(0, raw.length());
            if (length > f.length()) {
                return Optional.of(new RecordError(List.of(f.name()), f.name() + ": data value too large: "
                        + abbreviate(raw) + " (max length=" + f.length() + ")", "STRING_TOO_LONG"));
            }
            if (t == FieldType.EMAIL && !EMAIL.matcher(raw).matches()) {
                return Optional.of(new RecordError(List.of(f.name()), f.name() + ": invalid email address: " + raw,
                        "INVALID_EMAIL_ADDRESS"));
            }
            if (t == FieldType.RESTRICTED_PICKLIST && !rejectReasons.contains(raw)) {
                return Optional.of(new RecordError(List.of(f.name()), f.name()
                        + ": bad value for restricted picklist field: " + raw, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"));
            }
            if (t == FieldType.REFERENCE && !ID.matcher(raw).matches()) {
                return Optional.of(new RecordError(List.of(f.name()), f.name() + ": id value of incorrect type: " + raw,
                        "MALFORMED_ID"));
            }
            return Optional.empty();
        }
        try {
            parsed(f, raw);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(new RecordError(List.of(f.name()), f.name() + ": value not of required type: " + raw,
                    "INVALID_TYPE_ON_FIELD_IN_RECORD"));
        }
    }

    private static Object parsed(FieldDef f, String raw) {
        String v = raw.trim();
        return switch (f.type()) {
            case DOUBLE, CURRENCY -> {
                double d = Double.parseDouble(v);
                if (Double.isNaN(d) || Double.isInfinite(d) || !DECIMAL_TEXT.matcher(v).matches()) {
                    throw new NumberFormatException(v);
                }
                yield d;
            }
            case INT -> {
                // xsd:int on the wire, but clients often send doubles like "250.0".
                double d = Double.parseDouble(v);
                if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE || !INTEGER_TEXT.matcher(v).matches()) {
                    throw new NumberFormatException(v);
                }
                yield (int) d;
            }
            case DATETIME -> parseDateTime(v);
            case DATE -> LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v);
            case BOOLEAN -> {
                if (!v.equals("true") && !v.equals("false")) {
                    throw new IllegalArgumentException(v);
                }
                yield Boolean.valueOf(v);
            }
            default -> raw;
        };
    }

    static Instant parseDateTime(String v) {
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            // xsd:dateTime without an offset means UTC to Salesforce.
            return Instant.parse(v + "Z");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String valueIgnoringCase(Map<String, String> values, String field) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().equalsIgnoreCase(field)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
