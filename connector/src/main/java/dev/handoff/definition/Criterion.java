package dev.handoff.definition;

import java.util.Objects;

/**
 * A fit criterion: when {@code condition} holds for the lead's {@code field}, the lead gains
 * {@code points}. For {@link Condition.Bands} the points come from the band and {@code points} is 0.
 * For {@link Condition.All} and {@link Condition.Any} the fields are named in the parts and
 * {@code field} is empty.
 */
public record Criterion(String id, String field, Condition condition, int points) {

    public Criterion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(condition, "condition");
        if (Condition.isComposite(condition) != field.isEmpty()) {
            throw new IllegalArgumentException("a criterion tests one field, or combines parts with all/any and has no field");
        }
        if (condition instanceof Condition.Bands && points != 0) {
            throw new IllegalArgumentException("bands carry their own points");
        }
    }

    /** The most points this criterion can add. */
    public int maxPoints() {
        if (condition instanceof Condition.Bands b) {
            int max = Integer.MIN_VALUE;
            for (Condition.Band band : b.bands()) {
                max = Math.max(max, band.points());
            }
            return max;
        }
        return points;
    }
}
