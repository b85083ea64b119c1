package io.statex.autograd;

/**
 * A region where no op is recorded (evaluation, decoding, optimizer updates, the forward of a
 * checkpointed block). Nests; closes in reverse order of opening.
 *
 * <pre>{@code
 * try (NoGrad off = NoGrad.enter()) { ... }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private boolean closed;

  private NoGrad() {}

  public static NoGrad enter() {
    DEPTH.get()[0]++;
    return new NoGrad();
  }

  /** True when ops record for backward on this thread (no NoGrad region open). */
  public static boolean gradEnabled() {
    return DEPTH.get()[0] == 0;
  }

  /** Turns recording back on for a nested region (a checkpoint's recompute); returns what to restore. */
  static int suspend() {
    int[] d = DEPTH.get();
    int saved = d[0];
    d[0] = 0;
    return saved;
  }

  static void restore(int saved) {
    DEPTH.get()[0] = saved;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      DEPTH.get()[0]--;
    }
  }
}
