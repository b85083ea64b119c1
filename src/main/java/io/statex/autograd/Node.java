package io.statex.autograd;

/** One op on the tape: its inputs, its outputs and how to send gradients back from one to the other. */
final class Node {
  final String name;
  final Var[] inputs;
  final Var[] outputs;
  Backward backward;

  Node(String name, Var[] inputs, Var[] outputs, Backward backward) {
    this.name = name;
    this.inputs = inputs;
    this.outputs = outputs;
    this.backward = backward;
  }

  /** Drops the backward (and with it whatever the op saved for it). */
  void release() {
    backward = null;
  }
}
