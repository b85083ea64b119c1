package io.statex.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The comparison rules themselves: what they let through and what they catch. */
class CompareTest {
  /** Terms +-1 that nearly cancel: the sum is 1e-3, the sum of magnitudes 2000. */
  private static double[] cancellingTerms() {
    double[] t = new double[2001];
    for (int i = 0; i < 2000; i++) {
      t[i] = (i % 2 == 0 ? 1 : -1) * (1 + i * 1e-6);
    }
    t[2000] = 1e-3;
    return t;
  }

  private static double magnitude(double[] t) {
    double m = 0;
    for (double v : t) {
      m += Math.abs(v);
    }
    return m;
  }

  private static double sum(double[] t, boolean fp32) {
    double s = 0;
    for (double v : t) {
      s = fp32 ? (float) (s + (float) v) : s + v;
    }
    return s;
  }

  @Test
  void sumRoundedInFp32PassesAgainstItsMagnitudeButNotAgainstItsValue() {
    double[] t = cancellingTerms();
    double ref = sum(t, false);
    double got = sum(t, true);
    double mag = magnitude(t);
    assertTrue(Math.abs(got - ref) / Math.abs(ref) > 1e-5, "the example must cancel enough to fail a plain comparison");
    double[] r = {ref};
    double[] g = {got};
    assertDoesNotThrow(() -> Compare.assertSumClose("sum", r, new double[] {mag}, g, 1e-5));
    assertThrows(AssertionFailedError.class, () -> Compare.assertClose("sum", r, g, 1e-5));
  }

  @Test
  void sumMissingOneTermFails() {
    double[] t = cancellingTerms();
    double ref = sum(t, false);
    double m = magnitude(t);
    double missing = ref - t[7];
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> Compare.assertSumClose("sum", new double[] {ref}, new double[] {m}, new double[] {missing}, 1e-5));
    assertTrue(e.getMessage().contains("sum of term magnitudes"), e.getMessage());
  }

  @Test
  void unwrittenElementFailsWhateverTheScale() {
    assertThrows(AssertionFailedError.class, () -> Compare.assertSumClose("sum", new double[] {1, 2},
        new double[] {1e30, 1e30}, new double[] {1, Double.NaN}, 1e-5));
  }
}
