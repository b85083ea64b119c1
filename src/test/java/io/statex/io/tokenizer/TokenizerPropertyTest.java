package io.statex.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.testing.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties on fresh random text (seeded through Seeds, so a failure replays): decoding inverts
 * encoding, ids stay in range, a megabyte encodes in seconds, and bad arguments are refused.
 */
class TokenizerPropertyTest {
  private static final String LLAMA = "llama2/tokenizer.json";
  private static final String BYTE_LEVEL = "variants/split-sequence.tokenizer.json.gz";
  private static final String NEOX = "variants/neox-style.tokenizer.json.gz";

  @Test
  void byteLevelRoundTripsAnyWellFormedText() {
    Tokenizer t = TokenizerConformanceTest.tokenizer(BYTE_LEVEL);
    Random r = new Random(Seeds.fresh("byteLevelRoundTrip"));
    for (int i = 0; i < 300; i++) {
      String s = randomText(r, 1 + r.nextInt(60));
      if (s.contains("<EOT>") || s.contains("<META") || s.contains("<SOS>")) {
        continue;
      }
      int[] ids = t.encode(s);
      assertInRange(t, ids, s);
      assertEquals(s, t.decode(ids), () -> "text " + TokenizerConformanceTest.quote(s) + "; "
          + Seeds.describe());
    }
  }

  @Test
  void sentencePieceRoundTripsTextWithoutItsMarkers() {
    Tokenizer t = TokenizerConformanceTest.tokenizer(LLAMA);
    Random r = new Random(Seeds.fresh("sentencePieceRoundTrip"));
    for (int i = 0; i < 300; i++) {
      String s = randomText(r, 1 + r.nextInt(60));
      if (s.indexOf('\u2581') >= 0 || s.contains("<s>") || s.contains("</s>")
          || s.contains("<unk>")) {
        continue;
      }
      int[] ids = t.encode(s);
      assertEquals(1, ids[0], "BOS first");
      assertInRange(t, ids, s);
      assertEquals(s, t.decode(ids, true), () -> "text " + TokenizerConformanceTest.quote(s)
          + "; " + Seeds.describe());
    }
  }

  /** A megabyte of mixed text, as one unsplit piece (LLaMA) and as GPT-2 words (NeoX style). */
  @Test
  void aMegabyteEncodesInSeconds() {
    Random r = new Random(Seeds.fresh("megabyte"));
    StringBuilder sb = new StringBuilder();
    while (sb.length() < (1 << 20)) {
      sb.append(randomText(r, 1 + r.nextInt(12))).append(r.nextInt(8) == 0 ? "\n" : " ");
    }
    String text = sb.toString().replace('\u2581', '_').replace("<", "(");
    for (String name : new String[] {LLAMA, NEOX}) {
      Tokenizer t = TokenizerConformanceTest.tokenizer(name);
      long start = System.nanoTime();
      int[] ids = t.encode(text, false);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("encode of %d chars with %s: %d ids in %.2f s%n", text.length(), name,
          ids.length, seconds);
      assertTrue(seconds < 10, name + ": 1 MiB took " + seconds + " s");
      String expected = name.equals(NEOX)
          ? java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC) : text;
      assertEquals(expected, t.decode(ids), name + ": decode(encode(text)); " + Seeds.describe());
    }
  }

  @Test
  void unpairedSurrogatesEncodeAsReplacementCharacter() {
    for (String name : new String[] {LLAMA, BYTE_LEVEL}) {
      Tokenizer t = TokenizerConformanceTest.tokenizer(name);
      assertArrayEquals(t.encode("a\uFFFDb\uFFFD"), t.encode("a\uD800b\uDC00"), name);
    }
  }

  @Test
  void specialIdsAndLookups() {
    Tokenizer llama = TokenizerConformanceTest.tokenizer(LLAMA);
    assertEquals(1, llama.bosId().getAsInt());
    assertEquals(2, llama.eosId().getAsInt());
    assertEquals(0, llama.unkId().getAsInt());
    assertEquals(32000, llama.vocabSize());
    assertEquals("<0x41>", llama.idToToken(llama.tokenToId("<0x41>").getAsInt()));
    assertTrue(llama.isSpecial(2));
    assertTrue(!llama.isSpecial(100));

    Tokenizer neox = TokenizerConformanceTest.tokenizer(NEOX);
    assertTrue(neox.bosId().isEmpty(), "no BOS in the byte-level file");
    assertTrue(neox.eosId().isEmpty(),
        "<EOT> is no conventional name and no tokenizer_config.json lies beside the file");
    assertEquals(65000 + 23, neox.vocabSize(), "the whitespace added tokens extend the vocabulary");
    assertEquals(65000, neox.tokenToId(" ".repeat(24)).getAsInt());
    assertTrue(neox.tokenToId("no such token").isEmpty());
  }

  @Test
  void badIdsAreRefused() {
    Tokenizer t = TokenizerConformanceTest.tokenizer(LLAMA);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {5, 32000}));
    assertTrue(e.getMessage().contains("ids[1]") && e.getMessage().contains("32000"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {-1}));
    assertThrows(IllegalArgumentException.class, () -> t.idToToken(-3));
    assertThrows(IllegalArgumentException.class, () -> t.encode(null));
  }

  private static void assertInRange(Tokenizer t, int[] ids, String s) {
    for (int id : ids) {
      assertTrue(id >= 0 && id < t.vocabSize(), () -> "id " + id + " for "
          + TokenizerConformanceTest.quote(s));
    }
  }

  /**
   * Random text weighted towards what breaks tokenizers: ASCII words and spaces, digits, accents
   * and combining marks, CJK, emoji and other supplementary characters, controls, and any
   * assigned or unassigned code point outside the surrogates.
   */
  static String randomText(Random r, int codePoints) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < codePoints; i++) {
      int kind = r.nextInt(10);
      int cp = switch (kind) {
        case 0, 1, 2 -> 'a' + r.nextInt(26);
        case 3 -> " \t\n\r  ".charAt(r.nextInt(6));
        case 4 -> '0' + r.nextInt(10);
        case 5 -> 0x20 + r.nextInt(0x5f);
        case 6 -> 0xC0 + r.nextInt(0x250);
        case 7 -> 0x4E00 + r.nextInt(0x5000);
        case 8 -> 0x1F300 + r.nextInt(0x300);
        default -> {
          int v;
          do {
            v = r.nextInt(0x110000);
          } while (v >= 0xD800 && v <= 0xDFFF);
          yield v;
        }
      };
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }
}
