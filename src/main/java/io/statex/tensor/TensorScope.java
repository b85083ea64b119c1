package io.statex.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Step-local tensors: every tensor created on this thread while a scope is open belongs to the
 * innermost scope and is closed with it, unless {@link #keep kept}. Scopes nest.
 *
 * <pre>{@code
 * try (TensorScope scope = TensorScope.open()) {
 *   Tensor h = ...;                 // freed at the end of the block
 *   result = scope.keep(out);       // survives (moves to the enclosing scope, if any)
 * }
 * }</pre>
 */
public final class TensorScope implements AutoCloseable {
  private static final ThreadLocal<Deque<TensorScope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

  private final List<Tensor> owned = new ArrayList<>();
  private final Thread thread = Thread.currentThread();
  private boolean closed;

  private TensorScope() {}

  public static TensorScope open() {
    TensorScope s = new TensorScope();
    STACK.get().push(s);
    return s;
  }

  /** The innermost open scope of this thread, or null (also while {@link #outside} runs). */
  static TensorScope current() {
    Deque<TensorScope> stack = STACK.get();
    TensorScope top = stack.isEmpty() ? null : stack.peek();
    return top == DETACHED ? null : top;
  }

  /** A marker on the stack: tensors created while it is on top belong to no scope. */
  private static final TensorScope DETACHED = new TensorScope();

  /**
   * Runs create with no scope in effect, so the tensors it makes outlive every open scope and belong
   * to the caller (who closes them): parameter gradients and optimizer state created during a step.
   */
  public static <T> T outside(java.util.function.Supplier<T> create) {
    Deque<TensorScope> stack = STACK.get();
    stack.push(DETACHED);
    try {
      return create.get();
    } finally {
      stack.pop();
    }
  }

  void register(Tensor t) {
    owned.add(t);
  }

  /** Takes t out of this scope (into the enclosing one, if any) and returns it. */
  public Tensor keep(Tensor t) {
    if (removeOwned(t)) {
      Deque<TensorScope> stack = STACK.get();
      boolean foundSelf = false;
      for (TensorScope s : stack) {
        if (foundSelf) {
          if (s != DETACHED) {
            s.register(t);
          }
          break;
        }
        foundSelf = s == this;
      }
    }
    return t;
  }

  // Searched from the end: the tensors kept are usually the ones made last.
  private boolean removeOwned(Tensor t) {
    for (int i = owned.size() - 1; i >= 0; i--) {
      if (owned.get(i) == t) {
        owned.remove(i);
        return true;
      }
    }
    return false;
  }

  /** Number of tensors the scope will close. */
  public int size() {
    return owned.size();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("a TensorScope must be closed on the thread that opened it");
    }
    closed = true;
    Deque<TensorScope> stack = STACK.get();
    if (stack.peek() != this) {
      throw new IllegalStateException("TensorScopes must be closed in reverse order of opening");
    }
    stack.pop();
    RuntimeException first = null;
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    owned.clear();
    if (first != null) {
      throw first;
    }
  }
}
