package dev.handoff.map;

import java.math.BigDecimal;

/** How lead values are normalized, whichever MAP they come from. */
public final class MapValues {

    private MapValues() {
    }

    /** {@code 5.0E7} → {@code 50000000}, {@code 1234.5600} → {@code 1234.56}: numbers as plain decimal strings. */
    public static String plainNumber(BigDecimal n) {
        BigDecimal stripped = n.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
    }
}
