package io.statex.reference;

import io.statex.backend.BinaryOp;
import io.statex.backend.ReduceOp;
import io.statex.backend.UnaryOp;
import io.statex.tensor.Shapes;
import java.util.Arrays;

/** Float64 definitions of the base ops, written for obviousness, not speed. */
public final class BaseOpsReference {
  private BaseOpsReference() {}

  public static double unary(UnaryOp op, double x, double s) {
    switch (op) {
      case NEG: return -x;
      case EXP: return Math.exp(x);
      case LOG: return Math.log(x);
      case SIGMOID: return 1 / (1 + Math.exp(-x));
      case SILU: return x / (1 + Math.exp(-x));
      case LOGSIGMOID: return -Math.log1p(Math.exp(-x));
      case SOFTPLUS: return x > 20 ? x : Math.log1p(Math.exp(x));
      case TANH: return Math.tanh(x);
      case SQRT: return Math.sqrt(x);
      case RSQRT: return 1 / Math.sqrt(x);
      case ABS: return Math.abs(x);
      case RELU: return Math.max(x, 0);
      case SQUARE: return x * x;
      case RECIPROCAL: return 1 / x;
      case ADD_SCALAR: return x + s;
      case MUL_SCALAR: return x * s;
      case POW_SCALAR: return Math.pow(x, s);
      case RSUB_SCALAR: return s - x;
      case CLAMP_MIN: return Math.max(x, s);
      case CLAMP_MAX: return Math.min(x, s);
      default: throw new AssertionError(op);
    }
  }

  /**
   * d unary(op, x, s) / dx in closed form (a central difference is accurate to ~1e-10 only, too coarse
   * for the F64 cases); ReferenceGradientTest checks it against central differences of {@link #unary}.
   * Kinks (abs and relu at 0, the clamps at s) take the product's convention.
   */
  public static double unaryDerivative(UnaryOp op, double x, double s) {
    double sig = 1 / (1 + Math.exp(-x));
    switch (op) {
      case NEG: return -1;
      case EXP: return Math.exp(x);
      case LOG: return 1 / x;
      case SIGMOID: return sig * (1 - sig);
      case SILU: return sig + x * sig * (1 - sig);
      case LOGSIGMOID: return 1 / (1 + Math.exp(x));
      case SOFTPLUS: return x > 20 ? 1 : sig;
      case TANH: return 1 - Math.tanh(x) * Math.tanh(x);
      case SQRT: return 0.5 / Math.sqrt(x);
      case RSQRT: return -0.5 / (x * Math.sqrt(x));
      case ABS: return Math.signum(x);
      case RELU: return x > 0 ? 1 : 0;
      case SQUARE: return 2 * x;
      case RECIPROCAL: return -1 / (x * x);
      case ADD_SCALAR: return 1;
      case MUL_SCALAR: return s;
      case POW_SCALAR: return s == 0 ? 0 : s * Math.pow(x, s - 1);
      case RSUB_SCALAR: return -1;
      case CLAMP_MIN: return x >= s ? 1 : 0;
      case CLAMP_MAX: return x <= s ? 1 : 0;
      default: throw new AssertionError(op);
    }
  }

  public static double binary(BinaryOp op, double a, double b) {
    switch (op) {
      case ADD: return a + b;
      case SUB: return a - b;
      case MUL: return a * b;
      case DIV: return a / b;
      case MAXIMUM: return Math.max(a, b);
      case MINIMUM: return Math.min(a, b);
      default: throw new AssertionError(op);
    }
  }

  public static Nd binary(BinaryOp op, Nd a, Nd b) {
    long[] shape = Shapes.broadcast(a.shape(), b.shape());
    double[] out = new double[(int) Shapes.numel(shape)];
    for (int i = 0; i < out.length; i++) {
      out[i] = binary(op, a.broadcastAt(shape, i), b.broadcastAt(shape, i));
    }
    return Nd.of(out, shape);
  }

  /**
   * Reduction along axis; for MAX/MIN also the first index of the extreme (in idx, may be null). A NaN
   * beats every number in MAX and MIN (the first NaN wins), as in statex/reduce.h.
   */
  public static double[] reduce(ReduceOp op, Nd x, int axis, long[] idx) {
    long outer = 1, inner = 1, n = x.shape()[axis];
    for (int i = 0; i < axis; i++) outer *= x.shape()[i];
    for (int i = axis + 1; i < x.shape().length; i++) inner *= x.shape()[i];
    double[] out = new double[(int) (outer * inner)];
    for (long o = 0; o < outer; o++) {
      for (long in = 0; in < inner; in++) {
        double acc = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : op == ReduceOp.MIN ? Double.POSITIVE_INFINITY : 0;
        long arg = 0;
        for (long k = 0; k < n; k++) {
          double v = x.data()[(int) ((o * n + k) * inner + in)];
          if (op == ReduceOp.SUM || op == ReduceOp.MEAN) acc += v;
          else if (!Double.isNaN(acc) && (Double.isNaN(v) || (op == ReduceOp.MAX && v > acc) || (op == ReduceOp.MIN && v < acc))) {
            acc = v;
            arg = k;
          }
        }
        int j = (int) (o * inner + in);
        out[j] = op == ReduceOp.MEAN ? acc / n : acc;
        if (idx != null) idx[j] = arg;
      }
    }
    return out;
  }

  /** Batched matmul of [batch, m, k] x [batch, k, n] (batches already expanded). */
  public static double[] matmul(double[] a, double[] b, int batch, int m, int n, int k) {
    double[] c = new double[batch * m * n];
    for (int t = 0; t < batch; t++)
      for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) s += a[(t * m + i) * k + p] * b[(t * k + p) * n + j];
          c[(t * m + i) * n + j] = s;
        }
    return c;
  }

  /** Row-wise softmax or log-softmax of [rows, n]. */
  public static double[] softmax(double[] x, int n, boolean log) {
    double[] out = new double[x.length];
    for (int r = 0; r < x.length / n; r++) {
      double max = Arrays.stream(x, r * n, r * n + n).max().getAsDouble();
      double sum = 0;
      for (int j = 0; j < n; j++) sum += Math.exp(x[r * n + j] - max);
      for (int j = 0; j < n; j++) {
        double z = x[r * n + j] - max;
        out[r * n + j] = log ? z - Math.log(sum) : Math.exp(z) / sum;
      }
    }
    return out;
  }

  /** Row-wise RMSNorm of [rows, n] with weight w (null = ones); rstd receives 1/rms per row. */
  public static double[] rmsNorm(double[] x, double[] w, int n, double eps, double[] rstd) {
    double[] y = new double[x.length];
    for (int r = 0; r < x.length / n; r++) {
      double ss = 0;
      for (int j = 0; j < n; j++) ss += x[r * n + j] * x[r * n + j];
      double s = 1 / Math.sqrt(ss / n + eps);
      if (rstd != null) rstd[r] = s;
      for (int j = 0; j < n; j++) y[r * n + j] = x[r * n + j] * s * (w == null ? 1 : w[j]);
    }
    return y;
  }
}
