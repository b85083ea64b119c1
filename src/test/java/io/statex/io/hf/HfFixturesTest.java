package io.statex.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.statex.io.safetensors.SafetensorsFile;
import io.statex.nn.GlaLayerConfig;
import io.statex.nn.LanguageModel;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.testing.Compare;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checkpoints written by the reference Python stack (safetensors, with configs in each layout) and
 * the logits of an independent naive PyTorch model on a fixed token sequence
 * ({@code src/test/resources/hf/make_fixtures.py}): the engine loads each one and reproduces the
 * logits, by the chunked forward and by the recurrent step. The fixtures must be present: a missing
 * directory fails this test, it does not skip it.
 */
class HfFixturesTest {
  private static final double TOLERANCE = 1e-4; // fp32 against logits computed in fp64

  static Path fixtures() {
    URL url = HfFixturesTest.class.getResource("/hf/fixtures");
    if (url == null) {
      fail("src/test/resources/hf/fixtures is missing: generate it with "
          + "python3 src/test/resources/hf/make_fixtures.py src/test/resources/hf/fixtures (needs torch and safetensors)");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"gla, gla, 2, 16", "gla-statex, gla, 1, 32", "mamba2-original, mamba2-original, 8, 8",
      "mamba2-original-statex, mamba2-original, 8, 32", "mamba2-hf, mamba2-hf, 8, 8"})
  void reproducesTheReferenceLogits(String name, String layout, int layer0Heads, int layer0Width) throws IOException {
    Path dir = fixtures().resolve(name);
    if (!Files.isDirectory(dir)) {
      fail(dir + " is missing: regenerate the fixtures with src/test/resources/hf/make_fixtures.py");
    }
    int[] ids;
    double[] want;
    long[] shape;
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("logits.safetensors"));
        Tensor i = f.loadAs("input_ids", DType.I64, Device.CPU);
        Tensor l = f.loadAs("logits", DType.F32, Device.CPU)) {
      ids = java.util.Arrays.stream(i.toLongArray()).mapToInt(Math::toIntExact).toArray();
      want = l.toDoubleArray();
      shape = l.shape();
    }
    try (HfCheckpoint c = HfCheckpoint.open(dir)) {
      assertEquals(Layout.parse(layout), c.config().layout());
      var layer0 = c.config().model().layers().get(0);
      if (layer0 instanceof GlaLayerConfig g) {
        assertEquals(layer0Heads, g.heads(), "layer 0 heads");
        assertEquals(layer0Width, g.headK(), "layer 0 K");
      } else {
        assertEquals(layer0Heads, ((Mamba2LayerConfig) layer0).heads(), "layer 0 heads");
        assertEquals(layer0Width, ((Mamba2LayerConfig) layer0).dState(), "layer 0 d_state");
      }
      try (LanguageModel m = c.load(Device.CPU, DType.F32)) {
        assertArrayEquals(new long[] {ids.length, m.config().vocabSize()}, shape, "logits shape");
        double[] chunked = flat(Forward.chunked(m, ids));
        double[] recurrent = flat(Forward.recurrent(m, ids));
        Compare.assertClose(name + " chunked forward", want, chunked, TOLERANCE);
        Compare.assertClose(name + " recurrent step", want, recurrent, TOLERANCE);
        System.out.printf("%s: relative error %.2e (chunked forward), %.2e (recurrent step)%n", name,
            Compare.relativeError(want, chunked), Compare.relativeError(want, recurrent));
      }
    }
  }

  private static double[] flat(float[][] rows) {
    double[] out = new double[rows.length * rows[0].length];
    for (int t = 0; t < rows.length; t++) {
      for (int v = 0; v < rows[t].length; v++) {
        out[t * rows[t].length + v] = rows[t][v];
      }
    }
    return out;
  }
}
