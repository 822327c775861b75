package dev.handoff.definition;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The service-level agreement between marketing and sales.
 *
 * @param acceptWithin     time sales has from handoff to accept or reject a lead
 * @param quantity         MQLs marketing commits to deliver per period
 * @param quality          the conversion target sales and marketing agreed on
 * @param feedbackRequired CRM fields sales must fill in on every MQL, e.g. {@code status}, {@code reject_reason}
 */
public record Sla(Duration acceptWithin, Quantity quantity, Quality quality, List<String> feedbackRequired) {

    public Sla {
        Objects.requireNonNull(acceptWithin, "acceptWithin");
        if (acceptWithin.isNegative() || acceptWithin.isZero()) {
            throw new IllegalArgumentException("acceptWithin must be positive");
        }
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(quality, "quality");
        feedbackRequired = List.copyOf(feedbackRequired);
    }

    public enum Period { DAY, WEEK, MONTH, QUARTER }

    /** Between {@code min} and {@code max} MQLs per {@code per}. */
    public record Quantity(Period per, int min, int max) {
        public Quantity {
            Objects.requireNonNull(per, "per");
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("need 0 <= min <= max");
            }
        }
    }

    public enum Metric { ACCEPTED, CONVERTED, WON }

    /** At least {@code target} (a share, 0..1) of MQLs reach {@code metric} within {@code windowDays} of handoff. */
    public record Quality(Metric metric, double target, int windowDays) {
        public Quality {
            Objects.requireNonNull(metric, "metric");
            if (!(target >= 0 && target <= 1)) {
                throw new IllegalArgumentException("target must be a share between 0 and 1");
            }
            if (windowDays < 1) {
                throw new IllegalArgumentException("windowDays must be >= 1");
            }
        }
    }
}
