package io.statex.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.testing.Seeds;
import java.util.ArrayList;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The loader's shape table equals the parameters io.statex.nn builds, name for name and in order. */
class ParameterShapesTest {
  @Test
  void tableMatchesTheModules() {
    SplittableRandom r = new SplittableRandom(Seeds.fresh("ParameterShapesTest"));
    for (int i = 0; i < 12; i++) {
      Layout layout = Layout.values()[i % 3];
      ModelConfig cfg = TinyModels.random(layout, i % 2 == 0, r);
      if (i % 4 == 1) {
        cfg = new ModelConfig(cfg.family(), cfg.vocabSize(), cfg.hidden(), cfg.layers(), 8, cfg.tieEmbeddings(),
            cfg.normEps(), cfg.initializerRange()); // an MLP in any family
      }
      Map<String, long[]> table = ParameterShapes.of(cfg);
      try (LanguageModel m = LanguageModel.empty(cfg, new Init(DType.F32, Device.CPU, 0))) {
        assertEquals(new ArrayList<>(m.namedParameters().keySet()), new ArrayList<>(table.keySet()), cfg.family() + " " + Seeds.describe());
        m.namedParameters().forEach((n, p) -> assertArrayEquals(p.value().shape(), table.get(n), n));
      }
      assertEquals(cfg.family() == ModelConfig.Family.GLA ? "model.embeddings.weight" : "backbone.embedding.weight",
          ParameterShapes.embedding(cfg));
    }
  }
}
