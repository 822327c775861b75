package dev.handoff.definition;

import java.util.Objects;

/**
 * When {@code condition} holds for the lead's {@code field}, the lead is not an MQL, for {@code reason}.
 * For {@link Condition.All} and {@link Condition.Any} the fields are named in the parts and {@code field} is empty.
 */
public record Disqualifier(String id, String field, Condition condition, String reason) {

    public Disqualifier {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(reason, "reason");
        if (Condition.isComposite(condition) != field.isEmpty()) {
            throw new IllegalArgumentException("a disqualifier tests one field, or combines parts with all/any and has no field");
        }
        if (condition instanceof Condition.Bands) {
            throw new IllegalArgumentException("a disqualifier cannot use bands");
        }
    }
}
