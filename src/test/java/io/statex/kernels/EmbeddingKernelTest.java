package io.statex.kernels;

import static io.statex.kernels.KernelAsserts.assertExact;
import static io.statex.kernels.KernelAsserts.assertRejected;

import io.statex.kernels.BaseKernelCases.EmbeddingCase;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import org.junit.jupiter.api.Test;

/**
 * The embedding catalogue on the CPU library, and its out-of-range path: the CPU entries check every
 * index first and reject the call, naming the first bad position and its value, with nothing written.
 */
class EmbeddingKernelTest extends EmbeddingKernelSuite {
  @Override
  BaseKernels kernels() {
    return BaseKernels.cpu();
  }

  @Test
  void outOfRangeIndexIsRejectedAndNothingIsWritten() {
    BaseKernels k = kernels();
    for (DType idxDtype : new DType[] {DType.I32, DType.I64}) {
      EmbeddingCase c = new EmbeddingCase(DType.F32, idxDtype, 12, 8, 11);
      String ctx = TestData.context("embedding bad index", c);
      try (TensorScope scope = TensorScope.open()) {
        Inputs in = inputs(c, TestData.random(c.toString()));
        long[] idx = in.idxValues().clone();
        idx[3] = 11;  // == vocab: the first bad position
        idx[9] = -1;
        Tensor badIdx = TestData.uploadIndices(idx, idxDtype, k.device());
        Tensor out = TestData.poisoned(DType.F32, k.device(), false, c.n(), c.dim());
        assertRejected(k, "embedding_fwd: idx[3] = 11 is outside [0, 11)",
            () -> k.embeddingFwd(c.dtype().code(), idxDtype.code(), c.n(), c.dim(), c.vocab(), out.address(), in.table().address(),
                badIdx.address(), 0));
        assertExact(ctx, "out (untouched)", nans(c.n() * c.dim()), out.toFloatArray(), new long[] {c.n(), c.dim()});

        float[] zeros = new float[(int) (c.vocab() * c.dim())];
        Tensor dtable = TestData.upload(zeros, DType.F32, k.device(), false, c.vocab(), c.dim());
        assertRejected(k, "embedding_bwd: idx[3] = 11 is outside [0, 11)",
            () -> k.embeddingBwd(c.dtype().code(), idxDtype.code(), c.n(), c.dim(), c.vocab(), dtable.address(), in.dout().address(),
                badIdx.address(), 0));
        assertExact(ctx, "dtable (untouched)", TestData.toDouble(zeros), dtable.toFloatArray(), new long[] {c.vocab(), c.dim()});
      }
    }
  }

  private static double[] nans(long count) {
    double[] v = new double[(int) count];
    java.util.Arrays.fill(v, Double.NaN);
    return v;
  }
}
