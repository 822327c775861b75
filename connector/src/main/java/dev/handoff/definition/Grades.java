package dev.handoff.definition;

/**
 * Grade = fit letter (A, B, C, else D) + engagement digit (1, 2, 3, else 4): the first step whose
 * minimum the score reaches. Minimums are strictly descending.
 */
public record Grades(int fitA, int fitB, int fitC, int engagement1, int engagement2, int engagement3) {

    public Grades {
        if (!(fitA > fitB && fitB > fitC)) {
            throw new IllegalArgumentException("fit grade minimums must be strictly descending A > B > C");
        }
        if (!(engagement1 > engagement2 && engagement2 > engagement3)) {
            throw new IllegalArgumentException("engagement grade minimums must be strictly descending 1 > 2 > 3");
        }
    }

    /** 0 for A, 1 for B, 2 for C, 3 for D. */
    public int letterIndex(int fitScore) {
        return fitScore >= fitA ? 0 : fitScore >= fitB ? 1 : fitScore >= fitC ? 2 : 3;
    }

    /** 0 for 1, 1 for 2, 2 for 3, 3 for 4. */
    public int digitIndex(int engagementScore) {
        return engagementScore >= engagement1 ? 0 : engagementScore >= engagement2 ? 1 : engagementScore >= engagement3 ? 2 : 3;
    }

    public String grade(int fitScore, int engagementScore) {
        return "ABCD".charAt(letterIndex(fitScore)) + Integer.toString(digitIndex(engagementScore) + 1);
    }
}
