package io.statex.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The fixed 32-byte header of a token shard (all integers little-endian):
 *
 * <pre>
 * offset size field
 *      0    8 magic, the ASCII bytes "STXTOKEN"
 *      8    4 format version, 1
 *     12    4 token width in bytes: 2 (uint16 ids) or 4 (uint32 ids, at most 2^31 - 1)
 *     16    8 token count (int64, >= 0)
 *     24    4 vocabulary size (int32; 0 = not recorded); every id is below it when it is recorded
 *     28    4 EOS id (int32; -1 = none)
 *     32    . count x width bytes of token ids
 * </pre>
 *
 * The file's length must be exactly 32 + count x width: a shorter file is truncated, a longer one
 * carries bytes nobody wrote. The payload starts on a 4-byte boundary, so a mapped window never
 * splits a token.
 */
public record TokenShardHeader(int version, int width, long count, int vocabSize, int eosId) {
  public static final int BYTES = 32;
  public static final int VERSION = 1;
  static final byte[] MAGIC = "STXTOKEN".getBytes(StandardCharsets.US_ASCII);

  public TokenShardHeader {
    Problem p = problem(version, width, count, vocabSize, eosId);
    if (p != null) {
      throw new IllegalArgumentException("token shard header " + p.field + ": " + p.detail);
    }
  }

  /** A current-version header. */
  public static TokenShardHeader of(int width, long count, int vocabSize, int eosId) {
    return new TokenShardHeader(VERSION, width, count, vocabSize, eosId);
  }

  /** The largest id the width can hold (uint32 ids stop at 2^31 - 1, the largest Java int). */
  public int maxIdForWidth() {
    return width == 2 ? 0xFFFF : Integer.MAX_VALUE;
  }

  /** Every id is below this bound: the vocabulary size when recorded, else the width's limit + 1. */
  public long idBound() {
    return vocabSize > 0 ? vocabSize : maxIdForWidth() + 1L;
  }

  public long payloadBytes() {
    return count * width;
  }

  ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putInt(version).putInt(width).putLong(count).putInt(vocabSize).putInt(eosId);
    return b.flip();
  }

  /**
   * Reads and checks a header: bytes holds the file's first min(32, fileSize) bytes. Nothing in the
   * header is trusted before it passes every check, the payload length against the file included.
   */
  static TokenShardHeader decode(ByteBuffer bytes, long fileSize, Path file) throws ShardFormatException {
    if (fileSize < BYTES) {
      throw new ShardFormatException(file, "header", "truncated: the file holds " + fileSize + " bytes, the header needs " + BYTES);
    }
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[MAGIC.length];
    b.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new ShardFormatException(file, "magic", "expected bytes " + hex(MAGIC) + " (\"STXTOKEN\"), found " + hex(magic));
    }
    int version = b.getInt();
    int width = b.getInt();
    long count = b.getLong();
    int vocab = b.getInt();
    int eos = b.getInt();
    Problem p = problem(version, width, count, vocab, eos);
    if (p != null) {
      throw new ShardFormatException(file, p.field, p.detail);
    }
    long payload = fileSize - BYTES;
    if (count * width != payload) {
      throw new ShardFormatException(file, "payload", "the header declares " + count + " tokens x " + width + " bytes = "
          + count * width + " bytes, the file holds " + payload + " bytes after the header"
          + (count * width > payload ? " (truncated)" : " (trailing bytes)"));
    }
    return new TokenShardHeader(version, width, count, vocab, eos);
  }

  private record Problem(String field, String detail) {}

  /** The first field that breaks the format, or null: one rule set for files read and headers built. */
  private static Problem problem(int version, int width, long count, int vocab, int eos) {
    if (version != VERSION) {
      return new Problem("version", "expected " + VERSION + ", found " + Integer.toUnsignedString(version));
    }
    if (width != 2 && width != 4) {
      return new Problem("width", "expected 2 (uint16) or 4 (uint32) bytes per token, found " + Integer.toUnsignedString(width));
    }
    if (count < 0 || count > (Long.MAX_VALUE - BYTES) / width) {
      return new Problem("count", "expected 0 <= count <= " + (Long.MAX_VALUE - BYTES) / width + " for width " + width
          + ", found " + count);
    }
    long idLimit = width == 2 ? 0x10000L : 1L << 31;
    if (vocab < 0 || vocab > idLimit) {
      return new Problem("vocab", "expected 0 (not recorded) to " + idLimit + " for width " + width + ", found " + vocab);
    }
    long eosBound = vocab > 0 ? vocab : idLimit;
    if (eos < -1 || eos >= eosBound) {
      return new Problem("eos", "expected -1 (none) or an id in [0, " + eosBound + "), found " + eos);
    }
    return null;
  }

  private static String hex(byte[] b) {
    return HexFormat.ofDelimiter(" ").formatHex(b);
  }
}
