package io.statex.testing;

/** Sequence boundaries of a test case on the flat token axis: B rows of T tokens, or packed lengths. */
public final class Seqs {
  private Seqs() {}

  /** S + 1 token offsets: batch rows of length T when lens is null, else the packed lengths (cu_seqlens). */
  public static long[] offsets(int batch, int seqlen, long[] lens) {
    int s = lens == null ? batch : lens.length;
    long[] off = new long[s + 1];
    for (int i = 0; i < s; i++) {
      off[i + 1] = off[i] + (lens == null ? seqlen : lens[i]);
    }
    return off;
  }

  /** "-varlen_l0_l1..." or "" for the display name. */
  public static String label(long[] lens) {
    if (lens == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder("-varlen");
    for (long l : lens) {
      sb.append('_').append(l);
    }
    return sb.toString();
  }

  public static int total(long[] lens) {
    long t = 0;
    for (long l : lens) {
      t += l;
    }
    return (int) t;
  }
}
