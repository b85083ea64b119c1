package io.statex.io.hf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.statex.io.ModelConfigJson;
import io.statex.io.json.JsonException;
import io.statex.nn.ModelConfig;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Mutated, truncated and oversized configs: every one either reads as a valid config of bounded size
 * or fails with an IOException whose message starts with the file name; nothing else escapes.
 */
class HfConfigFuzzTest {
  private static final String FILE = "fuzz/config.json";
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
  private static final Pattern VALUE = Pattern.compile(":\\s*(-?[0-9][0-9.eE+-]*|true|false|null|\"[^\"]*\")");
  private static final Pattern MEMBER = Pattern.compile("\"[A-Za-z_]+\":\\s*(-?[0-9][0-9.eE+-]*|true|false|null|\"[^\"]*\"|\\[[^\\[\\]{}]*\\]),?");
  private static final String[] NUMBERS = {"-1", "0", "1e308", "1e999", "9223372036854775808", "99999999999999999999999",
      "4294967296", "2.5", "NaN", "Infinity", "-Infinity", "1e-320", "16777217", "65537"};
  private static final String[] VALUES = {"\"x\"", "true", "null", "[]", "{}", "[1, 2]", "\"\\u0000\"", "-0"};

  private static List<String> seeds(SplittableRandom r) {
    List<String> out = new ArrayList<>(List.of(HfConfigJsonTest.GLA_1_3B, HfConfigJsonTest.MAMBA2_1_3B,
        HfConfigJsonTest.MAMBA2_1_3B_HF));
    for (Layout l : Layout.values()) {
      out.add(HfConfigJson.write(HfConfig.of(TinyModels.random(l, true, r), l)));
    }
    return out;
  }

  @Test
  void mutatedConfigsReadOrFailClearly() {
    SplittableRandom r = new SplittableRandom(Seeds.fresh("HfConfigFuzzTest"));
    List<String> seeds = seeds(r);
    int read = 0;
    int refused = 0;
    for (int i = 0; i < 3000; i++) {
      String base = seeds.get(r.nextInt(seeds.size()));
      String text = mutate(base, r);
      try {
        HfConfig c = HfConfigJson.parse(text, FILE);
        checkBounded(c.model(), text);
        read++;
      } catch (IOException e) {
        refused++;
        assertTrue(e.getMessage().startsWith(FILE + ": ") && e.getMessage().length() < 2000,
            () -> "unclear message '" + e.getMessage() + "' for " + excerpt(text) + " " + Seeds.describe());
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        fail(e + " escaped for " + excerpt(text) + " " + Seeds.describe(), e);
      }
    }
    assertTrue(read > 300 && refused > 1000, "read " + read + ", refused " + refused + ": the mutations miss one side");
  }

  /** The engine's own config JSON (training checkpoints) under the same mutations. */
  @Test
  void mutatedTrainingConfigsReadOrFailClearly() {
    SplittableRandom r = new SplittableRandom(Seeds.fresh("HfConfigFuzzTest-training"));
    for (int i = 0; i < 1500; i++) {
      Layout l = Layout.values()[r.nextInt(3)];
      String text = mutate(ModelConfigJson.write(TinyModels.random(l, r.nextBoolean(), r)), r);
      try {
        checkBounded(ModelConfigJson.read(text), text);
      } catch (JsonException e) {
        assertTrue(e.getMessage().length() < 2000 && !e.getMessage().isEmpty(), e.getMessage());
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        fail(e + " escaped for " + excerpt(text) + " " + Seeds.describe(), e);
      }
    }
  }

  /** Sizes past any real model are errors that name the field. */
  @Test
  void hugeSizesNameTheirField() {
    Map<String, String[]> fields = Map.of(
        HfConfigJsonTest.GLA_1_3B, new String[] {"hidden_size", "num_hidden_layers", "num_heads", "vocab_size"},
        HfConfigJsonTest.MAMBA2_1_3B, new String[] {"d_model", "n_layer", "vocab_size", "pad_vocab_size_multiple"},
        HfConfigJsonTest.MAMBA2_1_3B_HF, new String[] {"hidden_size", "num_hidden_layers", "vocab_size", "num_heads",
            "state_size", "head_dim", "chunk_size"});
    for (Map.Entry<String, String[]> e : fields.entrySet()) {
      for (String field : e.getValue()) {
        for (String huge : new String[] {"1000000000000", "9223372036854775807", "1e30", "-5"}) {
          String text = e.getKey().replaceFirst("\"" + field + "\": [0-9]+", "\"" + field + "\": " + huge);
          IOException x = assertThrows(IOException.class, () -> HfConfigJson.parse(text, FILE), field + "=" + huge);
          assertTrue(x.getMessage().startsWith(FILE + ": ") && x.getMessage().contains(field), x.getMessage());
        }
      }
    }
    String big = HfConfigJsonTest.GLA_1_3B.replace("\"swish\"", "\"" + "s".repeat(17 << 20) + "\"");
    JsonException x = assertThrows(JsonException.class, () -> HfConfigJson.parse(big, FILE));
    assertTrue(x.getMessage().startsWith(FILE + ": JSON text too long"), x.getMessage());
    String deep = "[".repeat(5000) + "]".repeat(5000);
    x = assertThrows(JsonException.class, () -> HfConfigJson.parse(deep, FILE));
    assertTrue(x.getMessage().contains("nesting deeper than"), x.getMessage());
  }

  private static void checkBounded(ModelConfig m, String text) {
    long total = 0;
    for (long[] shape : ParameterShapes.of(m).values()) {
      long n = 1;
      for (long d : shape) {
        assertTrue(d >= 1 && d <= ModelConfigJson.MAX_DIM, () -> "dimension " + d + " read from " + excerpt(text));
        n = Math.multiplyExact(n, d);
      }
      total = Math.addExact(total, n);
    }
    assertTrue(total > 0);
  }

  private static String mutate(String text, SplittableRandom r) {
    switch (r.nextInt(7)) {
      case 0:
        return text.substring(0, r.nextInt(text.length() + 1));
      case 1:
        return replaceOne(text, NUMBER, NUMBERS[r.nextInt(NUMBERS.length)], r, 0);
      case 2:
        return replaceOne(text, VALUE, VALUES[r.nextInt(VALUES.length)], r, 1);
      case 3:
        return replaceOne(text, MEMBER, "", r, 0);
      case 4: {
        Matcher m = MEMBER.matcher(text);
        return m.find() ? text.substring(0, m.start()) + m.group() + (m.group().endsWith(",") ? " " : ", ") + text.substring(m.start()) : text;
      }
      case 5: {
        int at = r.nextInt(text.length() + 1);
        char c = "{}[],:\"\\ 0aeE-.\u00e9\ud800".charAt(r.nextInt(17));
        return text.substring(0, at) + c + text.substring(at);
      }
      default:
        return mutate(mutate(text, r), r);
    }
  }

  /** text with the k-th match (random k) of p, or its group g, replaced. */
  private static String replaceOne(String text, Pattern p, String with, SplittableRandom r, int g) {
    List<int[]> spans = new ArrayList<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      spans.add(new int[] {m.start(g), m.end(g)});
    }
    if (spans.isEmpty()) {
      return text;
    }
    int[] s = spans.get(r.nextInt(spans.size()));
    return text.substring(0, s[0]) + with + text.substring(s[1]);
  }

  private static String excerpt(String text) {
    return text.length() <= 400 ? text : text.substring(0, 400) + "...";
  }
}
