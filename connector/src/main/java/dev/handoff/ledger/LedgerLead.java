package dev.handoff.ledger;

import java.time.Instant;
import java.util.Map;

/** A lead as the ledger holds it. Snapshot fields are normalized names (email, company, …). */
public record LedgerLead(
        String mapId,
        String email,
        LeadState state,
        Map<String, String> snapshot,
        Integer fitScore,
        Integer engagementScore,
        String grade,
        String explanation,
        String definitionVersion,
        String crmId,
        Instant handedOffAt,
        Instant slaDueAt,
        String salesStatus,
        String rejectReason,
        String rejectComment,
        String salesOwner,
        Instant disposedAt,
        String reasonAction,
        FeedbackStatus feedbackStatus,
        String quarantineSystem,
        String quarantineCode,
        String quarantineMessage,
        int attempts,
        String contactId,
        String opportunityId,
        String opportunityStage,
        java.math.BigDecimal opportunityAmount,
        String outcome) {

    public LedgerLead {
        snapshot = snapshot == null ? Map.of() : Map.copyOf(snapshot);
    }

    /** Emails are personal data: logs show {@code j***@example.com}. */
    public static String maskEmail(String email) {
        if (email == null || email.isBlank()) {
            return "<no email>";
        }
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }

    @Override
    public String toString() {
        return "LedgerLead[" + mapId + ", " + maskEmail(email) + ", " + state + "]";
    }
}
