package io.statex.ops;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import java.util.Arrays;

/**
 * Cross-entropy of a language-model head, fused with the head: {@code loss = mean_i -log softmax(h_i
 * W^T)[t_i]} over the rows whose target is not -1, with h [N, D] and W [vocab, D]. Full [N, vocab]
 * logits never exist: rows go through in chunks of at most {@link #CHUNK_ELEMENTS} logits, and when
 * recording, each chunk's gradients (softmax - onehot, scaled) are turned into dh and dW right away,
 * so the backward only scales them by the incoming gradient. Logits, softmax and the loss are
 * computed in F32 (F64 for F64 inputs) whatever h's dtype.
 */
public final class LmHeadLoss {
  /** Logits per chunk: 8M (32 MiB in F32), whatever the vocabulary and sequence length. */
  public static final long CHUNK_ELEMENTS = 8L << 20;

  private LmHeadLoss() {}

  /** The mean loss over rows with a target (a scalar Var); targets has one entry per row of h, -1 = none. */
  public static Var apply(Var h, Var w, int[] targets) {
    Tensor hv = h.value(), wv = w.value();
    check(hv, wv, targets);
    long n = hv.size(0), vocab = wv.size(0);
    long counted = Arrays.stream(targets).filter(t -> t >= 0).count();
    double scale = 1.0 / Math.max(1, counted);
    boolean grads = Tape.recording(h, w);
    DType acc = hv.dtype() == DType.BF16 ? DType.F32 : hv.dtype();
    Tensor loss = Tensor.zeros(acc, hv.device());
    Tensor dh = grads ? Tensor.empty(hv.dtype(), hv.device(), hv.shapeRef()) : null;
    Tensor dw = grads ? Tensor.zeros(acc, wv.device(), wv.shapeRef()) : null;
    long rows = Math.max(1, Math.min(n, CHUNK_ELEMENTS / Math.max(1, vocab)));
    for (long r0 = 0; r0 < n; r0 += rows) {
      long r1 = Math.min(n, r0 + rows);
      chunk(hv, wv, targets, r0, r1, scale, acc, loss, dh, dw);
    }
    return Tape.record("lm_head_loss", new Var[] {h, w}, loss, (g, needs) -> {
      double s = g[0].item();
      return new Tensor[] {needs[0] ? Elementwise.mulScalar(dh, s) : null, needs[1] ? Elementwise.mulScalar(dw, s) : null};
    });
  }

  /** The highest-scoring token of each given row of h [N, D] under W [vocab, D] (greedy decoding, recall scoring). */
  public static long[] argmax(Tensor h, Tensor w) {
    try (Tensor logits = MatMul.matmul(h, w, false, true);
        Reductions.Extreme m = Reductions.max(logits, -1, false)) {
      return m.indices().toLongArray();
    }
  }

  private static void chunk(Tensor hv, Tensor wv, int[] targets, long r0, long r1, double scale, DType acc, Tensor loss,
      Tensor dh, Tensor dw) {
    int c = (int) (r1 - r0);
    long vocab = wv.size(0);
    long[] idx = new long[c];
    float[] weight = new float[c];
    for (int i = 0; i < c; i++) {
      int t = targets[(int) r0 + i];
      idx[i] = (long) i * vocab + Math.max(t, 0);
      weight[i] = t >= 0 ? (float) scale : 0f;
    }
    try (Tensor hc = hv.slice(0, r0, r1);
        Tensor logits = MatMul.matmul(hc, wv, false, true);
        Tensor lf = logits.to(acc);
        Tensor logp = Softmax.logSoftmax(lf);
        Tensor flat = logp.reshape(c * vocab, 1);
        Tensor hostIdx = Tensor.ofLongs(idx, c);
        Tensor ix = hostIdx.to(hv.device());
        Tensor hostW = Tensor.of(weight, c, 1);
        Tensor wt = hostW.to(acc).to(hv.device());
        Tensor picked = Embedding.forward(flat, ix);
        Tensor weighted = Elementwise.mul(picked, wt);
        Tensor part = Reductions.sumAll(weighted)) {
      loss.backend().binary(io.statex.backend.BinaryOp.SUB, loss, loss, part);
      if (dh == null) {
        return;
      }
      try (Tensor p = Elementwise.exp(logp);
          Tensor dl = Elementwise.mul(p, wt);
          Tensor dlFlat = dl.reshape(c * vocab, 1);
          Tensor negW = Elementwise.neg(wt)) {
        Embedding.backwardInto(dlFlat, negW, ix);  // dlogits = softmax * w - onehot * w
        try (Tensor dlc = dl.to(hv.dtype());
            Tensor dhc = MatMul.matmul(dlc, wv);
            Tensor dst = dh.slice(0, r0, r1);
            Tensor dwc = MatMul.matmul(dlc, hc, true, false);
            Tensor dwcAcc = dwc.to(dw.dtype())) {
          dh.backend().copy(dst, dhc);
          dw.backend().binary(io.statex.backend.BinaryOp.ADD, dw, dw, dwcAcc);
        }
      }
    }
  }

  private static void check(Tensor h, Tensor w, int[] targets) {
    String op = "lm_head_loss";
    Checks.rank(op, "h", h, 2);
    Checks.rank(op, "w", w, 2);
    Checks.sameDType(op, "h", h, "w", w);
    Checks.sameDevice(op, "h", h, "w", w);
    if (h.size(1) != w.size(1)) {
      throw new IllegalArgumentException(op + ": h [N, D] and w [vocab, D] disagree on D: " + h.size(1) + " vs " + w.size(1));
    }
    if (targets.length != h.size(0)) {
      throw new IllegalArgumentException(op + ": " + targets.length + " targets for " + h.size(0) + " rows");
    }
    for (int i = 0; i < targets.length; i++) {
      if (targets[i] < -1 || targets[i] >= w.size(0)) {
        throw new IllegalArgumentException(op + ": target " + i + " is " + targets[i] + ", outside [-1, " + w.size(0) + ")");
      }
    }
  }
}
