package io.statex.io.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The byte-level alphabet of GPT-2 style BPE: each of the 256 byte values is written as one
 * printable character, so that BPE runs over strings while covering every byte sequence. The
 * printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves; the other 68 bytes
 * (controls, space, soft hyphen...) take U+0100 upwards in byte order, which is why a space reads
 * 'Ġ' (U+0120) and a newline 'Ċ' (U+010A) in the vocabulary.
 */
final class ByteLevel {
  /**
   * GPT-2's split: contractions, a letter run, a number run or a run of other symbols (each with
   * an optional leading space), whitespace not followed by a non-space (so the last space joins
   * the next word), then any whitespace. {@code \s} is the Unicode White_Space property here (U+0085
   * included, U+FEFF not), as in the regex engines the reference library is built with.
   */
  static final Pattern GPT2_SPLIT =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[256 + 68];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      char c = printable ? (char) b : (char) (256 + extra++);
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevel() {}

  /** The UTF-8 bytes of {@code text}, one alphabet character per byte. */
  static String encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = BYTE_TO_CHAR[bytes[i] & 0xff];
    }
    return new String(out);
  }

  /**
   * Appends the bytes {@code token} stands for. A token with a character outside the alphabet (an
   * added token such as a run of plain spaces) is taken as text and appended as its UTF-8 bytes,
   * as the reference decoder does.
   */
  static void appendBytes(String token, ByteArrayOutputStream out) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c >= CHAR_TO_BYTE.length || CHAR_TO_BYTE[c] < 0) {
        out.writeBytes(token.getBytes(StandardCharsets.UTF_8));
        return;
      }
    }
    for (int i = 0; i < token.length(); i++) {
      out.write(CHAR_TO_BYTE[token.charAt(i)]);
    }
  }
}
