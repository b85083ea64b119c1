package io.statex.nn;

/**
 * The parameters of a depthwise torch.nn.Conv1d as checkpoints store them: weight [C, 1, W] and,
 * when it has one, bias [C]. Mamba2's conv1d (with bias) and fla's short convolutions (without).
 */
final class DepthwiseConv extends Module {
  final Parameter weight;
  final Parameter bias;

  DepthwiseConv(Init init, long channels, int width, boolean withBias) {
    weight = register("weight", new Parameter(init.zeros(channels, 1, width), "weight", true));
    bias = withBias ? register("bias", new Parameter(init.zeros(channels), "bias", false)) : null;
  }
}
