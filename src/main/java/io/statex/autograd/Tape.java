package io.statex.autograd;

import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Eager reverse-mode autograd: while a tape is open on a thread, every op on Vars that require a
 * gradient runs at once and appends a node (its inputs, outputs and backward) to the tape;
 * {@link #backward} walks the nodes in reverse order of recording, which is a topological order.
 *
 * <pre>{@code
 * try (TensorScope step = TensorScope.open(); Tape tape = Tape.open()) {
 *   Var loss = model.loss(batch);
 *   tape.backward(loss);            // parameter gradients accumulate in their leaves
 * }
 * }</pre>
 *
 * <p>Memory: the values an op saves for its backward belong to the step's TensorScope; gradients of
 * intermediate Vars are freed as soon as the node that consumes them has run, and each node's
 * backward runs in its own scope, so backward holds at most the gradients still to be consumed.
 */
public final class Tape implements AutoCloseable {
  private static final ThreadLocal<Deque<Tape>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

  private final List<Node> nodes = new ArrayList<>();
  private final Map<Var, int[]> leafUses = new IdentityHashMap<>();
  private final List<Var> touched = new ArrayList<>();
  private final boolean fireHooks;
  private final Thread thread = Thread.currentThread();
  private boolean done;
  private boolean closed;

  private Tape(boolean fireHooks) {
    this.fireHooks = fireHooks;
  }

  /** Opens a tape on this thread; ops record to the innermost open tape. */
  public static Tape open() {
    return push(new Tape(true));
  }

  /** A tape for recomputing a checkpointed block: leaf hooks are left to the enclosing tape. */
  static Tape openRecompute() {
    return push(new Tape(false));
  }

  private static Tape push(Tape t) {
    STACK.get().push(t);
    return t;
  }

  /** True when an op on these inputs would be recorded (a tape is open, grad is on, one needs it). */
  public static boolean recording(Var... inputs) {
    if (!NoGrad.gradEnabled() || STACK.get().isEmpty()) {
      return false;
    }
    for (Var v : inputs) {
      if (v != null && v.requiresGrad()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Wraps an op's outputs as Vars and, when {@link #recording}, appends the node that sends their
   * gradients back to the inputs. Null inputs are allowed (optional operands) and get no gradient.
   */
  public static Var[] record(String name, Var[] inputs, Tensor[] outputs, Backward backward) {
    boolean rec = recording(inputs);
    Var[] outs = new Var[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      outs[i] = outputs[i] == null ? null : Var.output(outputs[i], rec && outputs[i].dtype().isFloat());
    }
    if (rec) {
      STACK.get().peek().append(new Node(name, inputs.clone(), outs, backward));
    }
    return outs;
  }

  /** {@link #record} for a single output. */
  public static Var record(String name, Var[] inputs, Tensor output, Backward backward) {
    return record(name, inputs, new Tensor[] {output}, backward)[0];
  }

  private void append(Node node) {
    if (done) {
      throw new IllegalStateException("tape: an op was recorded after backward; open a new tape for the next step");
    }
    for (Var out : node.outputs) {
      if (out != null) {
        out.producer = node;
      }
    }
    for (Var in : node.inputs) {
      if (in != null && in.isLeaf() && in.requiresGrad()) {
        leafUses.computeIfAbsent(in, k -> new int[1])[0]++;
      }
    }
    nodes.add(node);
  }

  /** Number of recorded nodes. */
  public int size() {
    return nodes.size();
  }

  /** Backward from a scalar (or any-shape) root with the cotangent 1 everywhere. */
  public void backward(Var root) {
    try (Tensor ones = Tensor.full(root.dtype(), root.device(), 1.0, root.value().shapeRef())) {
      backward(new Var[] {root}, new Tensor[] {ones});
    }
  }

  /** Backward from several roots with the given cotangents (same shapes as the roots). */
  public void backward(Var[] roots, Tensor[] cotangents) {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("tape: backward must run on the thread that recorded");
    }
    if (done) {
      throw new IllegalStateException("tape: backward was already run on this tape");
    }
    done = true;
    for (int i = 0; i < roots.length; i++) {
      checkShape("cotangent of root " + i, roots[i], cotangents[i]);
      if (roots[i].requiresGrad()) {
        roots[i].accumulate(cotangents[i]);
        touched.add(roots[i]);
      }
    }
    try (NoGrad off = NoGrad.enter()) {
      for (int n = nodes.size() - 1; n >= 0; n--) {
        Node node = nodes.get(n);
        run(node);
        node.release();
        nodes.set(n, null);
        countDown(node);
      }
    }
    releaseIntermediates();
  }

  private void run(Node node) {
    Tensor[] gout = new Tensor[node.outputs.length];
    boolean any = false;
    for (int i = 0; i < gout.length; i++) {
      Var o = node.outputs[i];
      gout[i] = o == null ? null : o.grad;
      any |= gout[i] != null;
    }
    if (!any) {
      return;
    }
    boolean[] needs = new boolean[node.inputs.length];
    for (int i = 0; i < needs.length; i++) {
      needs[i] = node.inputs[i] != null && node.inputs[i].requiresGrad();
    }
    try (TensorScope scope = TensorScope.open()) {
      for (int i = 0; i < gout.length; i++) {
        if (gout[i] == null && node.outputs[i] != null) {
          Tensor v = node.outputs[i].value();
          gout[i] = Tensor.zeros(v.dtype(), v.device(), v.shapeRef());
        }
      }
      Tensor[] gin = node.backward.apply(gout, needs);
      if (gin.length != node.inputs.length) {
        throw new IllegalStateException("backward of " + node.name + " returned " + gin.length + " gradients for "
            + node.inputs.length + " inputs");
      }
      for (int i = 0; i < gin.length; i++) {
        if (gin[i] == null || !needs[i]) {
          continue;
        }
        checkShape("gradient of input " + i + " of " + node.name, node.inputs[i], gin[i]);
        node.inputs[i].accumulate(gin[i]);
        touched.add(node.inputs[i]);
      }
      for (Tensor g : gin) {
        if (g != null) {
          g.close();
        }
      }
    }
    for (Var o : node.outputs) {
      if (o != null && !o.isLeaf() && o.grad != null) {
        o.grad.close();
        o.grad = null;
      }
    }
  }

  private void countDown(Node node) {
    for (Var in : node.inputs) {
      int[] uses = in == null ? null : leafUses.get(in);
      if (uses != null && --uses[0] == 0 && fireHooks && in.grad != null) {
        in.fireHooks();
      }
    }
  }

  private static void checkShape(String what, Var v, Tensor g) {
    if (!Arrays.equals(v.value().shapeRef(), g.shapeRef())) {
      throw new IllegalStateException(what + " has shape " + Arrays.toString(g.shapeRef()) + ", expected "
          + Arrays.toString(v.value().shapeRef()));
    }
  }

  // Gradients of intermediate Vars that no node consumed (roots, unused outputs) are freed here.
  private void releaseIntermediates() {
    for (Var v : touched) {
      if (!v.isLeaf() && v.grad != null) {
        v.grad.close();
        v.grad = null;
      }
    }
    touched.clear();
  }

  /** Ends recording; drops what the nodes saved. Must be closed in reverse order of opening. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Deque<Tape> stack = STACK.get();
    if (stack.peek() != this) {
      throw new IllegalStateException("tapes must be closed in reverse order of opening");
    }
    stack.pop();
    for (Node n : nodes) {
      if (n != null) {
        n.release();
      }
    }
    nodes.clear();
    releaseIntermediates();
  }
}
