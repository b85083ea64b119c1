package io.statex.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.testing.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Batch validation, the accuracy helper, and the move to tensors. */
class TokenBatchTest {

  @Test
  void accuracyScoresOnlyCountedTargets_inBothPredictionLayouts() {
    Random r = new Random(Seeds.fresh("batch accuracy"));
    int batch = 3;
    int length = 11;
    int[] inputs = new int[batch * length];
    int[] targets = new int[batch * length];
    int[] full = new int[batch * length];
    int counted = 0;
    int correct = 0;
    for (int i = 0; i < targets.length; i++) {
      inputs[i] = r.nextInt(50);
      targets[i] = r.nextInt(3) == 0 ? r.nextInt(50) : TokenBatch.IGNORE;
      boolean right = r.nextBoolean();
      full[i] = right && targets[i] >= 0 ? targets[i] : targets[i] + 1;
      if (targets[i] != TokenBatch.IGNORE) {
        counted++;
        correct += right ? 1 : 0;
      }
    }
    if (counted == 0) {
      targets[0] = 1;
      full[0] = 1;
      counted = correct = 1;
    }
    TokenBatch b = new TokenBatch(batch, length, inputs, targets);
    assertEquals(counted, b.targetCount());
    assertEquals((double) correct / counted, b.accuracy(full), Seeds.describe());
    int[] compact = new int[counted];
    for (int i = 0, k = 0; i < targets.length; i++) {
      if (targets[i] != TokenBatch.IGNORE) {
        compact[k++] = full[i];
      }
    }
    assertEquals((double) correct / counted, b.accuracy(compact), Seeds.describe());
    int wrong = counted + 1 == targets.length ? counted - 1 : counted + 1;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.accuracy(new int[wrong]));
    assertTrue(e.getMessage().startsWith("predicted.length"), e.getMessage());
  }

  @Test
  void malformedBatchesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new TokenBatch(0, 4, new int[0], new int[0]));
    IllegalArgumentException len = assertThrows(IllegalArgumentException.class, () -> new TokenBatch(2, 3, new int[6], new int[5]));
    assertTrue(len.getMessage().contains("targets.length: expected batch x length = 6, found 5"), len.getMessage());
    IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
        () -> new TokenBatch(1, 2, new int[] {0, -1}, new int[] {0, 0}));
    assertTrue(neg.getMessage().startsWith("inputs[1]"), neg.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TokenBatch(1, 2, new int[2], new int[] {-2, 0}));
    TokenBatch none = new TokenBatch(1, 2, new int[2], new int[] {-1, -1});
    assertThrows(IllegalArgumentException.class, () -> none.accuracy(new int[2]));
  }

  @Test
  void tensorsCarryTheBatchAsI32OrI64() {
    Random r = new Random(Seeds.fresh("batch tensors"));
    int[] inputs = new int[2 * 5];
    int[] targets = new int[2 * 5];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = r.nextInt(Integer.MAX_VALUE);
      targets[i] = r.nextInt(4) == 0 ? -1 : r.nextInt(1000);
    }
    TokenBatch b = new TokenBatch(2, 5, inputs, targets);
    try (BatchTensors t = b.toTensors(Device.CPU, DType.I32)) {
      assertArrayEquals(new long[] {2, 5}, t.inputs().shape());
      assertEquals(DType.I32, t.targets().dtype());
      assertArrayEquals(inputs, t.inputs().toIntArray());
      assertArrayEquals(targets, t.targets().toIntArray());
    }
    try (BatchTensors t = b.toTensors(Device.CPU, DType.I64)) {
      assertEquals(DType.I64, t.inputs().dtype());
      long[] in = t.inputs().toLongArray();
      long[] tg = t.targets().toLongArray();
      for (int i = 0; i < inputs.length; i++) {
        assertEquals(inputs[i], in[i]);
        assertEquals(targets[i], tg[i]);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> b.toTensors(Device.CPU, DType.F32));
  }
}
