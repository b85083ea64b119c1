package io.statex.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.testing.Seeds;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Passkey examples re-read as words: where the needle sits, and that the answer is the key it holds. */
class PasskeyTest {
  private static final int[] HEAD = PasskeyVocab.encode("the pass key is");
  private static final int[] QUESTION = PasskeyVocab.encode("what is the pass key ? the pass key is");
  private static final int[] UNIT = PasskeyVocab.encode("the hills are quiet . the river runs on and on .");

  static Stream<PasskeyConfig> grid() {
    return Stream.concat(
        PasskeyConfig.grid(new int[] {27, 40, 128, 1000, 4097}, new double[] {0, 0.1, 0.25, 0.5, 0.77, 1}, 5).stream(),
        Stream.of(new PasskeyConfig(19, 0.5, 1), new PasskeyConfig(300, 0.3, 12)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grid")
  void answerIsTheInsertedKeyAtTheRequestedDepth(PasskeyConfig c) {
    long seed = Seeds.fresh("passkey " + c);
    int batch = 3;
    Passkey task = new Passkey(c, seed, batch);
    TokenBatch b = task.batch(5);
    int t = c.length();
    int d = c.digits();
    for (int row = 0; row < batch; row++) {
      String where = c + " row " + row + " (" + Seeds.describe() + ")";
      int[] in = Arrays.copyOfRange(b.inputs(), row * t, (row + 1) * t);
      int[] tg = Arrays.copyOfRange(b.targets(), row * t, (row + 1) * t);
      int needle = find(in, HEAD, 0);
      int question = find(in, QUESTION, needle + HEAD.length);
      assertTrue(needle >= 0 && question >= 0, where + ": " + PasskeyVocab.decode(in, 0, Math.min(t, 200)));
      int[] key = Arrays.copyOfRange(in, needle + HEAD.length, needle + HEAD.length + d);
      for (int k : key) {
        assertTrue(k >= 0 && k <= 9, where + ": key token " + k + " is not a digit");
      }
      assertArrayEquals(task.key(5L * batch + row), key, where);
      for (int i = 0; i < t; i++) {
        int expect = i >= t - d ? key[i - (t - d)] : TokenBatch.IGNORE;
        assertEquals(expect, tg[i], where + ": target at " + i);
      }
      assertEquals(t - d + 1, question + QUESTION.length, where + ": the question must end where the answer starts");
      assertArrayEquals(Arrays.copyOfRange(key, 0, d - 1), Arrays.copyOfRange(in, t - d + 1, t), where + ": answer inputs");
      int tail = needle + HEAD.length + d + 4;
      int filler = needle + (question - tail);
      assertFillerPattern(in, 0, needle, 0, where);
      assertFillerPattern(in, tail, question, needle, where);
      assertTrue(Math.abs(needle - c.depth() * filler) <= UNIT.length, where + ": needle after " + needle + " of " + filler
          + " filler tokens, depth " + c.depth());
    }
  }

  private static void assertFillerPattern(int[] in, int from, int to, int phase, String where) {
    for (int i = from; i < to; i++) {
      assertEquals(UNIT[(phase + i - from) % UNIT.length], in[i], where + ": filler at " + i);
    }
  }

  private static int find(int[] a, int[] pattern, int from) {
    for (int i = Math.max(0, from); i + pattern.length <= a.length; i++) {
      if (Arrays.equals(a, i, i + pattern.length, pattern, 0, pattern.length)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void keysDependOnSeedAndExample() {
    long seed = Seeds.fresh("passkey keys");
    PasskeyConfig c = new PasskeyConfig(64, 0.5, 8);
    Passkey a = new Passkey(c, seed, 4);
    assertEquals(a.batch(2), new Passkey(c, seed, 4).batch(2));
    assertNotEquals(a.batch(2), new Passkey(c, seed + 1, 4).batch(2), "seed " + seed);
    assertNotEquals(a.batch(2), a.batch(3), "seed " + seed);
    assertEquals(1.0, a.batch(0).accuracy(a.batch(0).targets().clone()));
  }

  @Test
  void vocabularyAndSettingsAreChecked() {
    assertEquals("the pass key is", PasskeyVocab.decode(HEAD, 0, HEAD.length));
    assertThrows(IllegalArgumentException.class, () -> PasskeyVocab.encode("the password is"));
    assertThrows(IllegalArgumentException.class, () -> new PasskeyConfig(100, 1.5, 5));
    assertThrows(IllegalArgumentException.class, () -> new PasskeyConfig(100, Double.NaN, 5));
    assertThrows(IllegalArgumentException.class, () -> new PasskeyConfig(100, 0.5, 0));
    IllegalArgumentException shortLength = assertThrows(IllegalArgumentException.class, () -> new PasskeyConfig(26, 0.5, 5));
    assertTrue(shortLength.getMessage().contains(">= 27"), shortLength.getMessage());
    assertEquals(List.of(new PasskeyConfig(64, 0, 5), new PasskeyConfig(64, 1, 5), new PasskeyConfig(99, 0, 5),
        new PasskeyConfig(99, 1, 5)), PasskeyConfig.grid(new int[] {64, 99}, new double[] {0, 1}, 5));
  }
}
