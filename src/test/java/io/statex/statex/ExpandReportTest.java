package io.statex.statex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.nn.GlaLayerConfig;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;
import io.statex.nn.ModelPresets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * State sizes and parameter deltas of the two 1.3B configurations, from configs only (nothing is
 * allocated). Expected numbers are the arithmetic of research notes statex.md 1.4, 1.6 and 2.5,
 * worked out by hand.
 */
class ExpandReportTest {

  @Test
  void gla13bEverySixMergesFourLayersIntoOneHead() {
    ModelConfig cfg = ModelPresets.get("gla-1.3b", 0);
    ExpandSpec spec = ExpandSpec.defaults(new LayerSelection.Every(6, true));
    ModelConfig out = StateX.expandConfig(cfg, spec);
    for (int i = 0; i < 24; i++) {
      GlaLayerConfig l = (GlaLayerConfig) out.layers().get(i);
      boolean sel = i % 6 == 0;
      assertEquals(sel ? 1 : 4, l.heads(), "layer " + i);
      assertEquals(sel ? 1024 : 256, l.headK(), "layer " + i);
      assertEquals(sel ? 2048 : 512, l.headV(), "layer " + i);
      assertEquals(sel ? 2_097_152 : 524_288, l.stateSize(), "layer " + i);
    }
    ExpandReport r = StateX.report(cfg, spec);
    assertEquals(12_582_912, r.stateBefore());
    assertEquals(18_874_368, r.stateAfter());
    // embeddings + untied head 2 x 32000 x 2048, final norm, 24 x (mixer 16,827,904 + norms 4,096 + MLP 34,603,008)
    assertEquals(1_365_514_240L, r.paramsBefore());
    assertEquals(4 * (2048 - 512), r.paramDelta());   // the gate norm, 512 -> 2048, in 4 layers
    String table = r.table();
    assertTrue(table.contains("4x256x512") && table.contains("1x1024x2048"), table);
    assertTrue(table.contains("12,582,912") && table.contains("18,874,368") && table.contains("+6,144"), table);
    assertTrue(table.contains("x1.50") && table.contains("x4.00"), table);
    assertEquals(24 + 4, table.split("\n").length, table);
  }

  @ParameterizedTest(name = "every {0}")
  @CsvSource({"1,48,100663296,75681792", "6,8,37748736,12613632", "12,4,31457280,6306816"})
  void mamba213bMultipliesDStateByFour(int every, int expanded, long stateAfter, long added) {
    ModelConfig cfg = ModelPresets.get("mamba2-1.3b", 0);
    ExpandSpec spec = ExpandSpec.defaults(LayerSelection.every(every));
    ModelConfig out = StateX.expandConfig(cfg, spec);
    int seen = 0;
    for (int i = 0; i < 48; i++) {
      Mamba2LayerConfig l = (Mamba2LayerConfig) out.layers().get(i);
      boolean sel = i % every == 0;
      seen += sel ? 1 : 0;
      assertEquals(sel ? 512 : 128, l.dState(), "layer " + i);
      assertEquals(sel ? 9280 : 8512, l.inProjWidth(), "layer " + i);
      assertEquals(sel ? 5120 : 4352, l.convChannels(), "layer " + i);
    }
    assertEquals(expanded, seen);
    ExpandReport r = StateX.report(cfg, spec);
    assertEquals(25_165_824, r.stateBefore());
    assertEquals(stateAfter, r.stateAfter());
    // tied embedding 50288 x 2048, final norm, 48 x 25,849,280 per block
    assertEquals(1_343_757_312L, r.paramsBefore());
    assertEquals(added, r.paramDelta());
    assertEquals(expanded * 1_576_704L, r.paramDelta());   // 768 x 2048 + 768 x 4 + 768 per layer
  }
}
