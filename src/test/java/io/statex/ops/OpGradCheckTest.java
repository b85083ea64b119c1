package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.autograd.GradCheck;
import io.statex.autograd.Var;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every differentiable op's backward against central differences, in F64 on the CPU, with a random
 * cotangent on every output (final states included) and awkward shapes.
 */
class OpGradCheckTest {
  private static final double TOL = io.statex.testing.Tolerance.GRADCHECK;
  private static final double EPS = io.statex.testing.Tolerance.GRADCHECK_EPS;

  /** A case: a name, input shapes (null = an input that is not checked), lo/hi range, and the op. */
  record Case(String name, long[][] shapes, double lo, double hi, Function<Var[], Var[]> op) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        c("add-broadcast", -1, 1, v -> one(Elementwise.add(v[0], v[1])), s(3, 1, 5), s(4, 1)),
        c("sub-broadcast", -1, 1, v -> one(Elementwise.sub(v[0], v[1])), s(2, 5), s(5)),
        c("mul-broadcast", -1, 1, v -> one(Elementwise.mul(v[0], v[1])), s(3, 4), s(3, 1)),
        c("mul-self", -1, 1, v -> one(Elementwise.mul(v[0], v[0])), s(7)),
        c("exp", -1, 1, v -> one(Elementwise.exp(v[0])), s(2, 3)),
        c("neg", -1, 1, v -> one(Elementwise.neg(v[0])), s(5)),
        c("sigmoid", -3, 3, v -> one(Elementwise.sigmoid(v[0])), s(2, 5)),
        c("silu", -3, 3, v -> one(Elementwise.silu(v[0])), s(9)),
        c("logsigmoid", -3, 3, v -> one(Elementwise.logSigmoid(v[0])), s(9)),
        c("softplus", -3, 3, v -> one(Elementwise.softplus(v[0])), s(9)),
        c("mulScalar-addScalar", -1, 1, v -> one(Elementwise.addScalar(Elementwise.mulScalar(v[0], -2.5), 0.5)), s(4)),
        c("linear-bias", -1, 1, v -> one(MatMul.linear(v[0], v[1], v[2])), s(3, 5, 7), s(4, 7), s(4)),
        c("linear", -1, 1, v -> one(MatMul.linear(v[0], v[1], null)), s(5, 3), s(6, 3)),
        c("sumAll", -1, 1, v -> one(Reductions.sumAll(v[0])), s(3, 4)),
        c("meanAll", -1, 1, v -> one(Reductions.meanAll(v[0])), s(3, 4)),
        c("reshape-slice", -1, 1, v -> one(Shaping.slice(Shaping.reshape(v[0], 4, 6), 1, 1, 5)), s(2, 3, 4)),
        c("contiguous-of-slice", -1, 1, v -> one(Shaping.contiguous(Shaping.slice(v[0], 0, 1, 3))), s(4, 3)),
        c("concat", -1, 1, v -> one(Shaping.concat(1, v[0], v[1])), s(2, 3), s(2, 5)),
        c("rmsnorm", -1, 1, v -> one(RmsNorm.apply(v[0], v[1], 1e-5)), s(3, 2, 8), s(8)),
        c("rmsnorm-noweight", -1, 1, v -> one(RmsNorm.apply(v[0], null, 1e-5)), s(5, 6)),
        c("gated-rmsnorm-norm-then-gate", -1, 1, v -> one(GatedRmsNorm.normThenGate(v[0], v[1], v[2], 1e-6)),
            s(2, 3, 2, 8), s(2, 3, 2, 8), s(8)),
        c("gated-rmsnorm-gate-then-norm-G2", -1, 1, v -> one(GatedRmsNorm.gateThenNorm(v[0], v[1], v[2], 2, 1e-5)),
            s(3, 5, 12), s(3, 5, 12), s(12)),
        c("swiglu", -2, 2, v -> one(SwiGlu.apply(v[0], v[1])), s(3, 7), s(3, 7)),
        c("gla-chunk-T65-K16-V32-h0-final", -1, 1, OpGradCheckTest::gla, s(3, 65, 2, 16), s(3, 65, 2, 16),
            s(3, 65, 2, 32), s(3, 65, 2, 16), s(3, 2, 16, 32)),
        c("ssd-chunk-T67-G2-init-final", -1, 1, OpGradCheckTest::ssd, s(1, 67, 4, 8), s(1, 67, 4), s(4), s(4),
            s(1, 67, 2, 16), s(1, 67, 2, 16), s(4), s(1, 4, 8, 16)),
        c("causal-conv1d-silu-W4", -1, 1, v -> one(io.statex.ops.CausalConv1d.apply(v[0], v[1], v[2], null, true)),
            s(3, 11, 6), s(6, 4), s(6)),
        c("causal-conv1d-W3-nobias", -1, 1, v -> one(io.statex.ops.CausalConv1d.apply(v[0], v[1], null, null, false)),
            s(2, 9, 5), s(5, 3)),
        c("lm-head-loss", -1, 1, OpGradCheckTest::lmHead, s(13, 8), s(11, 8)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void backwardMatchesCentralDifferences(Case c) {
    long seed = Seeds.fresh("gradcheck-" + c.name());
    try (TensorScope scope = TensorScope.open()) {
      Tensor[] in = new Tensor[c.shapes().length];
      String[] names = new String[in.length];
      for (int i = 0; i < in.length; i++) {
        in[i] = Tensor.uniform(DType.F64, Device.CPU, seed + i, c.lo(), c.hi(), c.shapes()[i]);
        names[i] = "input " + i;
      }
      prepare(c.name(), in);
      List<GradCheck.Result> results = GradCheck.check(c.op()::apply, in, names, seed, EPS, 40);
      for (GradCheck.Result r : results) {
        assertTrue(r.passes(TOL), c.name() + " " + r + " (" + Seeds.describe() + ")");
      }
    }
  }

  // Inputs with constraints: GLA log-decays <= 0 (logsigmoid / 4), SSD A < 0.
  private static void prepare(String name, Tensor[] in) {
    if (name.startsWith("gla")) {
      replace(in, 3, Elementwise.mulScalar(Elementwise.logSigmoid(in[3]), 0.25));
    } else if (name.startsWith("ssd")) {
      replace(in, 3, Elementwise.addScalar(Elementwise.mulScalar(in[3], 0.5), -1.0));
    }
  }

  private static void replace(Tensor[] in, int i, Tensor t) {
    in[i] = t;
  }

  private static Var[] gla(Var[] v) {
    return GlaChunk.apply(v[0], v[1], v[2], v[3], v[4], null, 0.25, true);
  }

  private static Var[] ssd(Var[] v) {
    SsdChunk.Options opt = new SsdChunk.Options(64, true, 0f, Float.POSITIVE_INFINITY);
    return SsdChunk.apply(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], null, opt, true);
  }

  private static Var[] lmHead(Var[] v) {
    int[] targets = {3, -1, 0, 10, 7, 7, -1, 1, 2, 9, 4, 5, 6};
    return one(LmHeadLoss.apply(v[0], v[1], targets));
  }

  private static Arguments c(String name, double lo, double hi, Function<Var[], Var[]> op, long[]... shapes) {
    return Arguments.of(new Case(name, shapes, lo, hi, op));
  }

  private static long[] s(long... shape) {
    return shape;
  }

  private static Var[] one(Var v) {
    return new Var[] {v};
  }
}
