package dev.handoff.engine;

/** The disqualifier that stopped a lead ({@code criterionId}) and the reject reason code it records. */
public record Disqualification(String criterionId, String reason) {
}
