package io.statex.kernels;

import static io.statex.kernels.KernelAsserts.assertClose;
import static io.statex.kernels.KernelAsserts.assertExact;
import static io.statex.kernels.KernelAsserts.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statex.kernels.BaseKernelCases.EmbeddingCase;
import io.statex.reference.EmbeddingReference;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The embedding catalogue on the CUDA library, and its out-of-range path: the kernels skip a bad row
 * (out / dtable untouched there), process every good one, and leave the smallest bad position in bad_pos.
 */
@GpuTest
class EmbeddingKernelGpuTest extends EmbeddingKernelSuite {
  @Override
  BaseKernels kernels() {
    return BaseKernels.cuda();
  }

  @Test
  void outOfRangeIndexIsReportedThroughBadPos() {
    BaseKernels k = kernels();
    for (DType idxDtype : new DType[] {DType.I32, DType.I64}) {
      EmbeddingCase c = new EmbeddingCase(DType.BF16, idxDtype, 300, 64, 17);
      String ctx = TestData.context("embedding bad index", c);
      try (TensorScope scope = TensorScope.open()) {
        Inputs in = inputs(c, TestData.random(c.toString()));
        long[] idx = in.idxValues().clone();
        int[] badAt = {37, 38, 200, 299};  // 37 is the smallest: it must win whatever the block order
        idx[37] = 17;
        idx[38] = -1;
        idx[200] = idxDtype == DType.I64 ? 1L << 40 : Integer.MIN_VALUE;
        idx[299] = 1000;
        Tensor badIdx = TestData.uploadIndices(idx, idxDtype, k.device());
        Tensor badPos = TestData.poisoned(DType.I64, k.device(), false, 1);

        Tensor out = TestData.poisoned(c.dtype(), k.device(), false, c.n(), c.dim());
        k.check(k.embeddingFwd(c.dtype().code(), idxDtype.code(), c.n(), c.dim(), c.vocab(), out.address(), in.table().address(),
            badIdx.address(), badPos.address()), "embedding_fwd");
        assertEquals(37, badPos.toLongArray()[0], ctx + ": embedding_fwd bad_pos");
        double[] refOut = EmbeddingReference.forward(in.table().toDoubleArray(), withoutBad(idx, badAt), (int) c.dim());
        for (int p : badAt) {
          Arrays.fill(refOut, p * (int) c.dim(), (p + 1) * (int) c.dim(), Double.NaN);  // still the poison
        }
        assertExact(ctx, "out (bad rows untouched)", refOut, out.toFloatArray(), new long[] {c.n(), c.dim()});

        float[] before = TestData.normal(TestData.random(c + "-dtable"), c.vocab() * c.dim(), 0.1);
        Tensor dtable = TestData.upload(before, DType.F32, k.device(), false, c.vocab(), c.dim());
        badPos.poison();
        k.check(k.embeddingBwd(c.dtype().code(), idxDtype.code(), c.n(), c.dim(), c.vocab(), dtable.address(), in.dout().address(),
            badIdx.address(), badPos.address()), "embedding_bwd");
        assertEquals(37, badPos.toLongArray()[0], ctx + ": embedding_bwd bad_pos");
        double[] dout = in.dout().toDoubleArray();
        for (int p : badAt) {
          Arrays.fill(dout, p * (int) c.dim(), (p + 1) * (int) c.dim(), 0);  // bad rows add nothing
        }
        double[] refTable = EmbeddingReference.backward(TestData.toDouble(before), dout, withoutBad(idx, badAt), (int) c.dim());
        assertClose(ctx, "dtable (bad rows skipped)", refTable, dtable.toFloatArray(), new long[] {c.vocab(), c.dim()}, DType.F32);
      }
    }
  }

  @Test
  void badPosIsRequiredWhenThereAreIndices() {
    BaseKernels k = kernels();
    int f32 = DType.F32.code();
    int i64 = DType.I64.code();
    try (TensorScope scope = TensorScope.open()) {
      Scratch a = scratch();
      assertRejected(k, "embedding_fwd: bad_pos is a null pointer",
          () -> k.embeddingFwd(f32, i64, 3, 4, 5, a.out(), a.table(), a.idx(), 0));
      assertRejected(k, "embedding_bwd: bad_pos is a null pointer",
          () -> k.embeddingBwd(f32, i64, 3, 4, 5, a.table(), a.out(), a.idx(), 0));
      k.check(k.embeddingFwd(f32, i64, 0, 4, 5, 0, 0, 0, 0), "embedding_fwd with n = 0 and no bad_pos");
      k.check(k.embeddingBwd(f32, i64, 0, 4, 5, 0, 0, 0, 0), "embedding_bwd with n = 0 and no bad_pos");
    }
  }

  /** idx with the bad positions pointed at row 0 (the reference then overwrites or zeroes those rows). */
  private static long[] withoutBad(long[] idx, int[] badAt) {
    long[] safe = idx.clone();
    for (int p : badAt) {
      safe[p] = 0;
    }
    return safe;
  }
}
