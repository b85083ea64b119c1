package io.statex.statex;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.nn.ModelPresets;
import io.statex.nn.Parameter;
import io.statex.ops.Elementwise;
import io.statex.ops.GlaChunk;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import org.junit.jupiter.api.Test;

/**
 * Merging GLA heads is not function-preserving, and by exactly the documented cross-head terms: with
 * q, k, v, g of H heads laid side by side as one head of width H K x H V, the merged state holds every
 * block k_i v_j^T, so the merged output's block j is sum_i GLA(q_i, k_i, v_j, g_i) at the merged
 * scale; the i = j term alone is the unmerged head (rescaled), the others are new. Also: the
 * reinitialised projections of an expanded GLA layer have the moments of Xavier-uniform with gain
 * 2^-2.5.
 */
class GlaMergeCrossTermsTest {

  @Test
  void theMergedHeadEqualsTheSumOfCrossHeadTerms() {
    long seed = Seeds.fresh("merge-cross");
    int b = 2, t = 37, h = 3, k = 16, v = 16;
    try (TensorScope scope = TensorScope.open()) {
      Tensor q = Tensor.uniform(DType.F64, Device.CPU, seed, -1, 1, b, t, h, k);
      Tensor kk = Tensor.uniform(DType.F64, Device.CPU, seed + 1, -1, 1, b, t, h, k);
      Tensor vv = Tensor.uniform(DType.F64, Device.CPU, seed + 2, -1, 1, b, t, h, v);
      Tensor g = Elementwise.mulScalar(Elementwise.logSigmoid(Tensor.uniform(DType.F64, Device.CPU, seed + 3, -1, 3, b, t, h, k)), 0.25);
      double scale = GlaChunk.defaultScale((long) h * k);
      // one head of width H K x H V: the same numbers, the heads side by side
      double[] merged = GlaChunk.forward(q.reshape(b, t, 1, h * k), kk.reshape(b, t, 1, h * k), vv.reshape(b, t, 1, h * v),
          g.reshape(b, t, 1, h * k), null, null, scale, false).o().toDoubleArray();
      double[] unmerged = GlaChunk.forward(q, kk, vv, g, null, null, scale, false).o().toDoubleArray();
      double err2 = 0, ref2 = 0, diag2 = 0;
      for (int j = 0; j < h; j++) {
        double[] sum = new double[b * t * v];
        for (int i = 0; i < h; i++) {
          double[] term = GlaChunk.forward(q.select(2, i).unsqueeze(2), kk.select(2, i).unsqueeze(2),
              vv.select(2, j).unsqueeze(2), g.select(2, i).unsqueeze(2), null, null, scale, false).o().toDoubleArray();
          for (int e = 0; e < sum.length; e++) {
            sum[e] += term[e];
          }
        }
        for (int bt = 0; bt < b * t; bt++) {
          for (int c = 0; c < v; c++) {
            double got = merged[bt * h * v + j * v + c], want = sum[bt * v + c];
            err2 += (got - want) * (got - want);
            ref2 += want * want;
            double same = unmerged[(bt * h + j) * v + c];
            diag2 += (got - same) * (got - same);
          }
        }
      }
      double rel = Math.sqrt(err2 / ref2), change = Math.sqrt(diag2 / ref2);
      assertTrue(rel < 1e-12, "merged head != sum of cross-head terms: relative error " + rel + " (" + Seeds.describe() + ")");
      assertTrue(change > 1e-2, "merging changed the output by only " + change + ": the cross-head terms are missing");
    }
  }

  @Test
  void reinitialisedProjectionsHaveXavierUniformMoments() {
    long seed = Seeds.fresh("merge-moments");
    ModelConfig cfg = ModelPresets.gla(64, 256, 1, 4, 4, false);
    ExpandSpec spec = ExpandSpec.defaults(new LayerSelection.Every(1, false)).withPolicy(InitPolicy.REINIT);
    try (LanguageModel src = LanguageModel.create(cfg, new Init(DType.F32, Device.CPU, seed));
        LanguageModel out = StateX.expand(src, spec, new Init(DType.F32, Device.CPU, seed + 1))) {
      for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "g_proj", "o_proj"}) {
        Parameter p = out.namedParameters().get("model.layers.0.attn." + proj + ".weight");
        double[] w = p.value().toDoubleArray();
        double fanOut = p.value().size(0), fanIn = p.value().size(1);
        double bound = Math.pow(2, -2.5) * Math.sqrt(6 / (fanIn + fanOut));
        double mean = 0, sq = 0, limit = ExpandFixtures.storedBound(bound);
        for (double x : w) {
          mean += x;
          sq += x * x;
          assertTrue(Math.abs(x) <= limit, proj + ": " + x + " outside the Xavier bound " + bound + " as stored in fp32 ("
              + Seeds.describe() + ")");
        }
        mean /= w.length;
        double var = sq / w.length - mean * mean, expect = bound * bound / 3;
        // standard errors of a uniform sample: mean sigma / sqrt(n); variance about 0.9 / sqrt(n) relative
        assertTrue(Math.abs(mean) < 5 * Math.sqrt(expect / w.length), proj + ": mean " + mean + " (" + Seeds.describe() + ")");
        assertTrue(Math.abs(var / expect - 1) < 5 * 0.9 / Math.sqrt(w.length), proj + ": variance " + var + " vs "
            + expect + " (" + Seeds.describe() + ")");
      }
    }
  }
}
