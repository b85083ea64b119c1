package io.statex.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.testing.Seeds;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** MQAR examples checked by re-reading their text: pairs first, then queries whose targets are the bound values. */
class MqarTest {

  static Stream<MqarConfig> configs() {
    return Stream.of(
        MqarConfig.of(64, 64, 8, 64),
        new MqarConfig(8, 3, 8, 8, 33, 1),
        new MqarConfig(1, 1, 1, 1, 4, 1),
        new MqarConfig(500, 17, 37, 5, 257, 9),
        new MqarConfig(4096, 4096, 128, 128, 1025, 1),
        new MqarConfig(30, 30, 12, 12, 48, 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void examplesHoldTheTaskInvariants(MqarConfig c) {
    long seed = Seeds.fresh("mqar " + c);
    int batch = 7;
    Mqar task = new Mqar(c, seed, batch);
    for (long index : new long[] {0, 1, 12_345_678_901L}) {
      TokenBatch b = task.batch(index);
      assertEquals(batch, b.batch());
      assertEquals(c.length(), b.length());
      for (int row = 0; row < batch; row++) {
        checkExample(c, b, row, "seed " + seed + " batch " + index + " row " + row + " (" + Seeds.describe() + ")");
      }
    }
  }

  private static void checkExample(MqarConfig c, TokenBatch b, int row, String where) {
    int t = c.length();
    int off = row * t;
    int[] in = b.inputs();
    int[] tg = b.targets();
    Map<Integer, Integer> bound = new HashMap<>();
    for (int p = 0; p < c.pairs(); p++) {
      int k = in[off + 2 * p];
      int v = in[off + 2 * p + 1];
      assertTrue(k >= c.noise() && k < c.noise() + c.keys(), where + ": pair " + p + " key id " + k);
      assertTrue(v >= c.noise() + c.keys() && v < c.vocabSize(), where + ": pair " + p + " value id " + v);
      assertEquals(null, bound.put(k, v), where + ": key " + k + " appears in two pairs");
      assertEquals(TokenBatch.IGNORE, tg[off + 2 * p], where + ": target inside the pairs");
      assertEquals(TokenBatch.IGNORE, tg[off + 2 * p + 1], where + ": target inside the pairs");
    }
    Set<Integer> queried = new HashSet<>();
    for (int i = 2 * c.pairs(); i < t; i++) {
      int id = in[off + i];
      assertTrue(id >= 0 && id < c.vocabSize(), where + ": id " + id + " at " + i + " outside the vocabulary");
      if (id < c.noise()) {
        assertEquals(TokenBatch.IGNORE, tg[off + i], where + ": filler at " + i + " has a target");
        continue;
      }
      assertTrue(bound.containsKey(id), where + ": token " + id + " at " + i + " is neither filler nor a stored key");
      assertTrue(queried.add(id), where + ": key " + id + " queried twice");
      int value = bound.get(id);
      assertEquals(value, tg[off + i], where + ": the target of query " + id + " at " + i);
      assertTrue(i + 1 < t && in[off + i + 1] == value, where + ": the query at " + i + " is not followed by its value");
      assertEquals(TokenBatch.IGNORE, tg[off + i + 1], where + ": the value after a query has a target");
      i++;
    }
    assertEquals(c.queries(), queried.size(), where + ": queries per example");
  }

  @Test
  void seedsAndIndicesGiveDifferentData_theSameOnesTheSame() {
    long seed = Seeds.fresh("mqar seeds");
    MqarConfig c = MqarConfig.of(64, 64, 8, 64);
    TokenBatch a = new Mqar(c, seed, 16).batch(3);
    assertEquals(a, new Mqar(c, seed, 16).batch(3));
    assertNotEquals(a, new Mqar(c, seed + 1, 16).batch(3), "seed " + seed + " vs " + (seed + 1));
    assertNotEquals(a, new Mqar(c, seed, 16).batch(4), "batch 3 vs 4 of seed " + seed);
    TokenBatch small = new Mqar(c, seed, 4).batch(12);
    TokenBatch big = new Mqar(c, seed, 16).batch(3);
    assertArrayEquals(Arrays.copyOfRange(big.inputs(), 0, 4 * 64), small.inputs(), "example 48 depends on the batch size");
  }

  @Test
  void perfectPredictionsScoreOne_randomOnesScoreChance() {
    long seed = Seeds.fresh("mqar accuracy");
    MqarConfig c = new MqarConfig(256, 8, 16, 16, 96, 1);
    TokenBatch b = new Mqar(c, seed, 64).batch(0);
    assertEquals(1.0, b.accuracy(b.targets().clone()));
    Random r = new Random(seed);
    int[] guess = new int[b.targets().length];
    for (int i = 0; i < guess.length; i++) {
      guess[i] = c.valueId(r.nextInt(c.values()));
    }
    int n = b.targetCount();
    assertEquals(64 * 16, n);
    double acc = b.accuracy(guess);
    double sigma = Math.sqrt(c.chance() * (1 - c.chance()) / n);
    assertTrue(Math.abs(acc - c.chance()) < 6 * sigma, "random guessing scored " + acc + ", chance " + c.chance()
        + " (" + Seeds.describe() + ")");
  }

  @Test
  void impossibleSettingsAreClearErrors() {
    IllegalArgumentException keys = assertThrows(IllegalArgumentException.class, () -> new MqarConfig(4, 8, 5, 5, 64, 1));
    assertTrue(keys.getMessage().startsWith("keys: expected >= pairs = 5, found 4"), keys.getMessage());
    IllegalArgumentException len = assertThrows(IllegalArgumentException.class, () -> new MqarConfig(8, 8, 4, 3, 13, 1));
    assertTrue(len.getMessage().contains("= 14, found 13"), len.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MqarConfig(8, 8, 4, 5, 64, 1));
    assertThrows(IllegalArgumentException.class, () -> new MqarConfig(8, 8, 4, 0, 64, 1));
    assertThrows(IllegalArgumentException.class, () -> new MqarConfig(8, 8, 4, 4, 64, 0));
    assertThrows(IllegalArgumentException.class, () -> new MqarConfig(Integer.MAX_VALUE, 8, 4, 4, 64, 1));
    assertThrows(IllegalArgumentException.class, () -> new Mqar(MqarConfig.of(8, 8, 4, 64), 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Mqar(MqarConfig.of(8, 8, 4, 64), 0, 2).batch(-1));
  }
}
