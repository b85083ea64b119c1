package io.statex.io.tokenizer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Unicode helpers shared by the pipeline stages. */
final class Text {
  private Text() {}

  /** Replaces unpaired surrogates by U+FFFD, as a UTF-8 encoder does; other text is returned as is. */
  static String wellFormed(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pairHigh =
          Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
      if (pairHigh) {
        if (sb != null) {
          sb.append(c).append(s.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (sb == null) {
          sb = new StringBuilder(s.length()).append(s, 0, i);
        }
        sb.append('\uFFFD');
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  /**
   * The Unicode White_Space property (what Rust's {@code char::is_whitespace} tests; Java's {@code
   * Character.isWhitespace} differs on no-break spaces and U+0085).
   */
  static boolean isWhiteSpace(int c) {
    return (c >= 0x09 && c <= 0x0D)
        || c == 0x20
        || c == 0x85
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  static String stripStart(String s) {
    int i = 0;
    while (i < s.length() && isWhiteSpace(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  static String stripEnd(String s) {
    int i = s.length();
    while (i > 0 && isWhiteSpace(s.charAt(i - 1))) {
      i--;
    }
    return s.substring(0, i);
  }

  /** Strict UTF-8 decoding, or null if the bytes are not valid UTF-8. */
  static String utf8OrNull(byte[] bytes, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
