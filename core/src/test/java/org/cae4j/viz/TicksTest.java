package org.cae4j.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TicksTest {

    @Test
    void linearTicksAreRoundStepsCoveringTheData() {
        Ticks t = Ticks.linear(0.0038, 0.093, 6);
        assertEquals(0, t.lo(), 1e-12, "losses are not negative, so the padded axis stops at 0");
        assertEquals(0.1, t.hi(), 1e-12);
        assertArrayEquals(new double[] {0, 0.02, 0.04, 0.06, 0.08, 0.1}, t.values(), 1e-12);
        assertArrayEquals(new String[] {"0.00", "0.02", "0.04", "0.06", "0.08", "0.10"}, t.labels());
    }

    @Test
    void linearAxisLeavesRoomAboveTheLargestValue() {
        Ticks t = Ticks.linear(0.0312, 0.0335, 6);
        assertTrue(t.fraction(0.0335) < 0.99, "top value sits at fraction " + t.fraction(0.0335));
        assertTrue(t.fraction(0.0312) > 0.01, "bottom value sits at fraction " + t.fraction(0.0312));
    }

    @Test
    void linearAxisWidensASingleValue() {
        Ticks t = Ticks.linear(0.5, 0.5, 6);
        assertTrue(t.lo() < 0.5 && t.hi() > 0.5, "range [" + t.lo() + ", " + t.hi() + "]");
        Ticks zero = Ticks.linear(0, 0, 6);
        assertTrue(zero.hi() > 0, "range [" + zero.lo() + ", " + zero.hi() + "]");
    }

    @Test
    void linearLabelsShowTheDigitsOfAQuarterStep() {
        Ticks t = Ticks.linear(0.0205, 0.0355, 6);
        assertEquals(0.0025, t.values()[1] - t.values()[0], 1e-12);
        assertEquals("0.0175", t.labels()[0]);
        assertEquals("0.0200", t.labels()[1]);
        assertEquals("0.0375", t.labels()[t.values().length - 1]);
    }

    @Test
    void logTicksAreOneTwoFiveWithinThreeDecades() {
        Ticks t = Ticks.log(0.0031, 0.2);
        assertEquals(0.002, t.lo(), 1e-15);
        assertEquals(0.2, t.hi(), 1e-15);
        assertArrayEquals(new double[] {0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2}, t.values(), 1e-15);
        assertArrayEquals(new String[] {"0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.2"}, t.labels());
        assertEquals(0, t.fraction(0.002), 1e-12);
        assertEquals(1, t.fraction(0.2), 1e-12);
    }

    @Test
    void logTicksArePowersOfTenBeyondThreeDecades() {
        Ticks t = Ticks.log(3e-6, 0.4);
        assertArrayEquals(new double[] {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1}, t.values(), 1e-18);
        assertEquals("1e-6", t.labels()[0]);
        assertEquals("1", t.labels()[6]);
    }

    @Test
    void logScaleIsChosenBeyondOneAndAHalfDecades() {
        assertTrue(Ticks.spansDecades(0.01, 0.5, 1.5));
        assertFalse(Ticks.spansDecades(0.0038, 0.093, 1.5));
        assertFalse(Ticks.spansDecades(0, 0.5, 1.5), "zero cannot go on a log axis");
    }

    @Test
    void epochTicksAreWholeNumbersFromOneToTheLastEpoch() {
        assertArrayEquals(new double[] {1}, Ticks.epochs(1, 10).values());
        Ticks t = Ticks.epochs(1, 10);
        assertEquals(0.5, t.fraction(1), 1e-12, "a single epoch sits in the middle");
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7}, Ticks.epochs(7, 10).values());
        double[] many = Ticks.epochs(200, 10).values();
        assertEquals(1, many[0]);
        assertEquals(200, many[many.length - 1]);
        for (double v : many) assertEquals(Math.rint(v), v, "tick " + v);
        for (double v : Ticks.epochs(13, 10).values()) assertEquals(Math.rint(v), v, "tick " + v);
    }

    @Test
    void compactLabelsUseExponentsOnlyForVerySmallOrLargeValues() {
        assertEquals("0.02", Ticks.compact(0.02));
        assertEquals("500", Ticks.compact(500));
        assertEquals("1e-5", Ticks.compact(1e-5));
        assertEquals("2e6", Ticks.compact(2e6));
    }
}
