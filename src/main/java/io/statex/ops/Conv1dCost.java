package io.statex.ops;

/**
 * FLOP and byte counts of the depthwise causal conv1d (docs/kernels/causal_conv1d.md): B*T tokens, Ch channels,
 * width W, {@code s} bytes per x/out element; weights and bias fp32. One multiply-add is 2 FLOPs; SiLU is counted
 * as 4 FLOPs per element (exp, add, divide, multiply).
 */
public final class Conv1dCost {
  private Conv1dCost() {}

  public static double forwardFlops(long b, long t, long ch, long w, boolean silu) {
    return (double) b * t * ch * (2.0 * w + (silu ? 4 : 0));
  }

  /** Backward as computed: dx (2W, plus W recomputed pre-activations of 2W each with SiLU), dweight 2W, dbias 1. */
  public static double backwardFlops(long b, long t, long ch, long w, boolean silu) {
    double perElem = 2.0 * w + 2.0 * w + 1 + (silu ? (w + 1) * (2.0 * w + 8) : 0);
    return (double) b * t * ch * perElem;
  }

  /** Forward minimum traffic: read x, write out, read weight and bias. */
  public static double forwardBytesMin(long b, long t, long ch, long w, int s) {
    return 2.0 * s * b * t * ch + 4.0 * ch * (w + 1);
  }

  /** Backward minimum traffic: read x and dout, write dx; read weight, write dweight and dbias. */
  public static double backwardBytesMin(long b, long t, long ch, long w, int s) {
    return 3.0 * s * b * t * ch + 8.0 * ch * (w + 1);
  }
}
