package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkTest {

    /**
     * 100 spins of 100 µs take about 10 ms. The fastest of 5 tries is taken, since other load on
     * the machine only makes a try slower; the bounds (5 to 30 ms) leave room for a noisy machine,
     * yet a calibration off by 5 times either way (2 ms or 50 ms) fails.
     */
    @Test
    void hundredSpinsOfHundredMicrosecondsTakeAboutTenMilliseconds() {
        long best = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5; attempt++) {
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                Work.spin(100_000);
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        double millis = best / 1e6;
        assertTrue(millis >= 5 && millis <= 30, "100 x spin(100 us) took " + millis + " ms, expected about 10");
    }

    @Test
    void aNewMeasurementAgreesWithTheCalibration() {
        double calibrated = Work.iterationsPerMicro();
        double measured = Work.measureIterationsPerMicro();
        assertTrue(measured > calibrated / 3 && measured < calibrated * 3,
                "calibrated " + calibrated + " iterations/us, measured now " + measured);
    }

    @Test
    void recalibrationReplacesTheFigureSpinUses() {
        double recalibrated = Work.recalibrate();
        assertTrue(recalibrated > 0, "iterations/us " + recalibrated);
        assertEquals(recalibrated, Work.iterationsPerMicro());
    }
}
