package dev.handoff.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The YAML file as written, before semantic checks. Every key is listed here; anything else in the
 * file is an error. Boxed types so a missing key can be reported by name.
 */
record DefinitionDocument(
        @JsonProperty("definition") String definition,
        @JsonProperty("version") Integer version,
        @JsonProperty("agreed_by") Map<String, String> agreedBy,
        @JsonProperty("effective") String effective,
        @JsonProperty("fit") FitDoc fit,
        @JsonProperty("engagement") EngagementDoc engagement,
        @JsonProperty("mql") MqlDoc mql,
        @JsonProperty("grades") GradesDoc grades,
        @JsonProperty("sla") SlaDoc sla,
        @JsonProperty("reject_reasons") Map<String, RejectReasonDoc> rejectReasons) {

    record FitDoc(
            @JsonProperty("criteria") List<CriterionDoc> criteria,
            @JsonProperty("disqualify") List<DisqualifierDoc> disqualify) {
    }

    /** The predicate keys shared by criteria, disqualifiers and the parts of all/any. */
    interface PredicateDoc {
        String field();

        List<BandDoc> bands();

        List<String> in();

        String inList();

        String matches();

        String equalTo();

        Boolean exists();

        List<PartDoc> all();

        List<PartDoc> any();
    }

    record CriterionDoc(
            @JsonProperty("id") String id,
            @JsonProperty("field") String field,
            @JsonProperty("bands") List<BandDoc> bands,
            @JsonProperty("in") List<String> in,
            @JsonProperty("in_list") String inList,
            @JsonProperty("matches") String matches,
            @JsonProperty("equals") String equalTo,
            @JsonProperty("exists") Boolean exists,
            @JsonProperty("all") List<PartDoc> all,
            @JsonProperty("any") List<PartDoc> any,
            @JsonProperty("points") Integer points) implements PredicateDoc {
    }

    record DisqualifierDoc(
            @JsonProperty("id") String id,
            @JsonProperty("field") String field,
            @JsonProperty("bands") List<BandDoc> bands,
            @JsonProperty("in") List<String> in,
            @JsonProperty("in_list") String inList,
            @JsonProperty("matches") String matches,
            @JsonProperty("equals") String equalTo,
            @JsonProperty("exists") Boolean exists,
            @JsonProperty("all") List<PartDoc> all,
            @JsonProperty("any") List<PartDoc> any,
            @JsonProperty("reason") String reason) implements PredicateDoc {
    }

    /** One part of all/any: a field with one test, or a nested all/any. */
    record PartDoc(
            @JsonProperty("field") String field,
            @JsonProperty("bands") List<BandDoc> bands,
            @JsonProperty("in") List<String> in,
            @JsonProperty("in_list") String inList,
            @JsonProperty("matches") String matches,
            @JsonProperty("equals") String equalTo,
            @JsonProperty("exists") Boolean exists,
            @JsonProperty("all") List<PartDoc> all,
            @JsonProperty("any") List<PartDoc> any) implements PredicateDoc {
    }

    record BandDoc(@JsonProperty("min") Double min, @JsonProperty("max") Double max, @JsonProperty("points") Integer points) {
    }

    record EngagementDoc(
            @JsonProperty("half_life_days") Integer halfLifeDays,
            @JsonProperty("activities") List<ActivityDoc> activities) {
    }

    record ActivityDoc(
            @JsonProperty("type") String type,
            @JsonProperty("points") Integer points,
            @JsonProperty("max_count") Integer maxCount,
            @JsonProperty("window_days") Integer windowDays) {
    }

    record MqlDoc(
            @JsonProperty("when") WhenDoc when,
            @JsonProperty("required_fields") List<String> requiredFields) {
    }

    record WhenDoc(@JsonProperty("fit") String fit, @JsonProperty("engagement") String engagement) {
    }

    record GradesDoc(@JsonProperty("fit") FitGradesDoc fit, @JsonProperty("engagement") EngagementGradesDoc engagement) {
    }

    record FitGradesDoc(@JsonProperty("A") Integer a, @JsonProperty("B") Integer b, @JsonProperty("C") Integer c) {
    }

    record EngagementGradesDoc(@JsonProperty("1") Integer one, @JsonProperty("2") Integer two, @JsonProperty("3") Integer three) {
    }

    record SlaDoc(
            @JsonProperty("accept_within") String acceptWithin,
            @JsonProperty("quantity") QuantityDoc quantity,
            @JsonProperty("quality") QualityDoc quality,
            @JsonProperty("feedback_required") List<String> feedbackRequired) {
    }

    record QuantityDoc(@JsonProperty("per") String per, @JsonProperty("min") Integer min, @JsonProperty("max") Integer max) {
    }

    record QualityDoc(@JsonProperty("metric") String metric, @JsonProperty("target") Double target,
            @JsonProperty("window_days") Integer windowDays) {
    }

    record RejectReasonDoc(
            @JsonProperty("action") String action,
            @JsonProperty("after_days") Integer afterDays,
            @JsonProperty("comment_required") Boolean commentRequired) {
    }
}
