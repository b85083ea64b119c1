package io.statex.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.testing.Seeds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packing over an identity stream (token i has id i), so a row's first input names its start and
 * every row can be checked against the stream without the code under test.
 */
class PackedSequencesTest {
  @TempDir Path dir;

  private static TokenSource identity(int n) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = i;
    }
    return TokenSource.of(t, 0, -1);
  }

  /** The row index of each row of the batch, after checking the row is the stream window it claims. */
  private static long[] rowsOf(TokenBatch b, int length, long rows, String where) {
    long[] out = new long[b.batch()];
    for (int r = 0; r < b.batch(); r++) {
      int start = b.inputs()[r * length];
      assertEquals(0, start % length, where + ": row " + r + " starts at " + start);
      for (int j = 0; j < length; j++) {
        assertEquals(start + j, b.inputs()[r * length + j], where + ": input " + r + "," + j);
        assertEquals(start + j + 1, b.targets()[r * length + j], where + ": target " + r + "," + j);
      }
      out[r] = start / length;
      assertTrue(out[r] < rows, where + ": row " + out[r] + " past the last full row " + (rows - 1));
    }
    return out;
  }

  @ParameterizedTest(name = "shuffle={0}")
  @ValueSource(booleans = {true, false})
  void eachEpochVisitsDistinctRowsOfTheStream(boolean shuffle) {
    Random r = new Random(Seeds.fresh("pack epochs " + shuffle));
    int length = 1 + r.nextInt(13);
    int batch = 1 + r.nextInt(5);
    int n = length * batch * (2 + r.nextInt(6)) + 1 + r.nextInt(3 * length);
    String where = "L" + length + " B" + batch + " N" + n + " (" + Seeds.describe() + ")";
    PackedSequences p = PackedSequences.of(identity(n), new PackingConfig(length, batch, r.nextLong(), shuffle, 0, 1));
    long rows = (n - 1) / length;
    assertEquals(rows, p.rows(), where);
    assertEquals(rows / batch, p.batchesPerEpoch(), where);
    List<List<Long>> epochs = new ArrayList<>();
    for (int e = 0; e < 3; e++) {
      List<Long> seen = new ArrayList<>();
      for (long k = 0; k < p.batchesPerEpoch(); k++) {
        for (long row : rowsOf(p.next(), length, rows, where)) {
          seen.add(row);
        }
      }
      assertEquals(seen.size(), new HashSet<>(seen).size(), where + ": a row repeats within epoch " + e);
      if (!shuffle) {
        for (int i = 0; i < seen.size(); i++) {
          assertEquals(i, seen.get(i), where + ": unshuffled rows come in stream order");
        }
      }
      epochs.add(seen);
    }
    if (shuffle && epochs.get(0).size() >= 12) {
      assertNotEquals(epochs.get(0), epochs.get(1), where + ": two epochs in the same order");
    }
  }

  @Test
  void sameSeedSameBatches_otherSeedOtherBatches() {
    long seed = Seeds.fresh("pack determinism");
    TokenSource tokens = identity(5000);
    PackedSequences a = PackedSequences.of(tokens, PackingConfig.of(9, 4, seed));
    PackedSequences b = PackedSequences.of(tokens, PackingConfig.of(9, 4, seed));
    PackedSequences c = PackedSequences.of(tokens, PackingConfig.of(9, 4, seed + 1));
    boolean differs = false;
    for (int k = 0; k < 400; k++) {
      TokenBatch x = a.next();
      assertEquals(x, b.next(), "step " + k + " (" + Seeds.describe() + ")");
      differs |= !x.equals(c.next());
    }
    assertTrue(differs, "seeds " + seed + " and " + (seed + 1) + " gave the same 400 batches");
  }

  @Test
  void restoredCursorContinuesExactly() {
    Random r = new Random(Seeds.fresh("pack resume"));
    TokenSource tokens = identity(3001);
    PackingConfig config = PackingConfig.of(11, 3, r.nextLong());
    PackedSequences reference = PackedSequences.of(tokens, config);
    long perEpoch = reference.batchesPerEpoch();
    for (int trial = 0; trial < 5; trial++) {
      int k = r.nextInt((int) (3 * perEpoch));
      PackedSequences first = PackedSequences.of(tokens, config);
      for (int i = 0; i < k; i++) {
        first.next();
      }
      PackingCursor saved = first.cursor();
      assertEquals(new PackingCursor(config.seed(), k / perEpoch, k % perEpoch), saved);
      PackedSequences resumed = PackedSequences.of(tokens, config);
      resumed.restore(saved);
      for (int i = 0; i < (int) perEpoch + 2; i++) {
        TokenBatch expect = reference.batch(k + i);
        assertEquals(expect, first.next(), "uninterrupted, k " + k + " + " + i + " (" + Seeds.describe() + ")");
        assertEquals(expect, resumed.next(), "resumed, k " + k + " + " + i + " (" + Seeds.describe() + ")");
      }
    }
  }

  @Test
  void ranksSplitTheGlobalBatch() {
    long seed = Seeds.fresh("pack ranks");
    TokenSource tokens = identity(4000);
    int length = 7;
    int batch = 2;
    int world = 3;
    PackedSequences global = PackedSequences.of(tokens, new PackingConfig(length, batch * world, seed, true, 0, 1));
    for (int rank = 0; rank < world; rank++) {
      PackedSequences mine = PackedSequences.of(tokens, new PackingConfig(length, batch, seed, true, rank, world));
      assertEquals(global.batchesPerEpoch(), mine.batchesPerEpoch());
      for (long i = 0; i < 2 * global.batchesPerEpoch() + 1; i += 5) {
        TokenBatch g = global.batch(i);
        int from = rank * batch * length;
        int to = from + batch * length;
        TokenBatch expect = new TokenBatch(batch, length, Arrays.copyOfRange(g.inputs(), from, to),
            Arrays.copyOfRange(g.targets(), from, to));
        assertEquals(expect, mine.batch(i), "rank " + rank + " batch " + i + " (" + Seeds.describe() + ")");
      }
    }
  }

  @Test
  void documentsAreJoinedWithEos() {
    Random r = new Random(Seeds.fresh("pack documents"));
    List<int[]> docs = new ArrayList<>();
    List<Integer> joined = new ArrayList<>();
    int eos = 0;
    for (int d = 0; d < 40; d++) {
      int[] doc = ShardFiles.randomTokens(r, r.nextInt(30), 1000);
      for (int i = 0; i < doc.length; i++) {
        doc[i] = Math.max(1, doc[i]);
        joined.add(doc[i]);
      }
      joined.add(eos);
      docs.add(doc);
    }
    int length = 5;
    PackedSequences p = PackedSequences.ofDocuments(docs, 1000, eos, new PackingConfig(length, 1, 0, false, 0, 1));
    assertEquals((joined.size() - 1) / length, p.rows());
    for (int row = 0; row < p.rows(); row++) {
      TokenBatch b = p.batch(row);
      for (int j = 0; j < length; j++) {
        assertEquals(joined.get(row * length + j), b.inputs()[j], "row " + row + " input " + j + " (" + Seeds.describe() + ")");
        assertEquals(joined.get(row * length + j + 1), b.targets()[j], "row " + row + " target " + j);
      }
    }
  }

  @Test
  void shardsPackLikeTheSameTokensInMemory() throws IOException {
    Random r = new Random(Seeds.fresh("pack shards"));
    int[] a = ShardFiles.randomTokens(r, 700, 30_000);
    int[] b = ShardFiles.randomTokens(r, 333, 30_000);
    TokenShardWriter.write(dir.resolve("0.tokens"), 2, 30_000, 1, a);
    TokenShardWriter.write(dir.resolve("1.tokens"), 4, 30_000, 1, b);
    int[] both = new int[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    PackingConfig config = PackingConfig.of(13, 5, r.nextLong());
    PackedSequences memory = PackedSequences.of(TokenSource.of(both, 30_000, 1), config);
    try (TokenShards shards = TokenShards.openDirectory(dir)) {
      PackedSequences mapped = PackedSequences.of(shards, config);
      for (long i = 0; i < 3 * memory.batchesPerEpoch(); i++) {
        assertEquals(memory.batch(i), mapped.batch(i), "batch " + i + " (" + Seeds.describe() + ")");
      }
    }
  }

  @Test
  void badSettingsAreClearErrors() {
    TokenSource tokens = identity(100);
    IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
        () -> PackedSequences.of(tokens, PackingConfig.of(10, 10, 0)));
    assertTrue(few.getMessage().contains("101 tokens") && few.getMessage().contains("found 100"), few.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PackingConfig.of(0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> PackingConfig.of(4, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new PackingConfig(4, 1, 0, true, 2, 2));
    PackedSequences p = PackedSequences.of(tokens, PackingConfig.of(3, 2, 42));
    IllegalArgumentException seed = assertThrows(IllegalArgumentException.class, () -> p.restore(new PackingCursor(43, 0, 0)));
    assertTrue(seed.getMessage().contains("expected 42") && seed.getMessage().contains("found 43"), seed.getMessage());
    assertThrows(IllegalArgumentException.class, () -> p.restore(new PackingCursor(42, 0, p.batchesPerEpoch())));
    assertThrows(IllegalArgumentException.class, () -> p.restore(new PackingCursor(42, Long.MAX_VALUE, 0)));
    assertThrows(IllegalArgumentException.class, () -> new PackingCursor(42, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> p.batch(-1));
    assertEquals(new PackingCursor(42, 0, 0), p.cursor());
  }
}
