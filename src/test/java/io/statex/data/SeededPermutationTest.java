package io.statex.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.testing.Seeds;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The O(1)-memory shuffle is a bijection of [0, n) for awkward n, and depends on the seed. */
class SeededPermutationTest {

  @ParameterizedTest(name = "n{0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 17, 63, 64, 65, 1000, 4097, 100_003})
  void isABijection(long n) {
    long seed = Seeds.fresh("perm " + n);
    SeededPermutation p = new SeededPermutation(n, seed);
    boolean[] hit = new boolean[(int) n];
    long fixed = 0;
    for (long i = 0; i < n; i++) {
      long y = p.at(i);
      assertTrue(y >= 0 && y < n, "image " + y + " of " + i + " outside [0, " + n + ") (" + Seeds.describe() + ")");
      assertFalse(hit[(int) y], "image " + y + " hit twice (" + Seeds.describe() + ")");
      hit[(int) y] = true;
      fixed += y == i ? 1 : 0;
    }
    if (n >= 1000) {
      // a shuffle has about one fixed point on average; the identity would have n
      assertTrue(fixed < 30, fixed + " fixed points of " + n + " (" + Seeds.describe() + ")");
    }
    assertThrows(IndexOutOfBoundsException.class, () -> p.at(n));
  }

  @ParameterizedTest(name = "n{0}")
  @ValueSource(longs = {1L << 40, (1L << 62) - 3})
  void largeDomainsStayInRangeAndInjective(long n) {
    Random r = new Random(Seeds.fresh("perm large " + n));
    SeededPermutation p = new SeededPermutation(n, r.nextLong());
    Set<Long> inputs = new HashSet<>();
    Set<Long> images = new HashSet<>();
    for (int k = 0; k < 20_000; k++) {
      long i = (long) (r.nextDouble() * n);
      long y = p.at(i);
      assertTrue(y >= 0 && y < n, "image " + y + " outside [0, " + n + ") (" + Seeds.describe() + ")");
      inputs.add(i);
      images.add(y);
    }
    assertEquals(inputs.size(), images.size(), "two indices share an image (" + Seeds.describe() + ")");
  }

  @ParameterizedTest(name = "n{0}")
  @ValueSource(longs = {10, 1000})
  void differentSeedsGiveDifferentOrders(long n) {
    long seed = Seeds.fresh("perm seeds " + n);
    SeededPermutation a = new SeededPermutation(n, seed);
    SeededPermutation b = new SeededPermutation(n, seed + 1);
    SeededPermutation again = new SeededPermutation(n, seed);
    int differ = 0;
    for (long i = 0; i < n; i++) {
      differ += a.at(i) != b.at(i) ? 1 : 0;
      assertEquals(a.at(i), again.at(i));
    }
    assertTrue(differ > 0, "seeds " + seed + " and " + (seed + 1) + " give the same order of " + n);
  }
}
