package io.statex.io.safetensors;

import java.util.ArrayList;
import java.util.List;

/**
 * How tensors are split into shards, the way the Hugging Face tools split a state dict: walk the
 * tensors in order, start a new shard when the next tensor would push the current one past the
 * limit, and give a tensor larger than the limit a shard of its own (placed where it was met,
 * ahead of the shard still being filled). Sizes count tensor bytes only, not headers.
 */
final class ShardPlan {
  private ShardPlan() {}

  /** Indices into sizes, grouped by shard, in file order. */
  static List<List<Integer>> split(long[] sizes, long maxShardBytes) {
    if (maxShardBytes <= 0) {
      throw new IllegalArgumentException("maxShardBytes must be > 0, got " + maxShardBytes);
    }
    List<List<Integer>> shards = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    long currentBytes = 0;
    for (int i = 0; i < sizes.length; i++) {
      if (sizes[i] > maxShardBytes) {
        shards.add(List.of(i));
        continue;
      }
      if (currentBytes + sizes[i] > maxShardBytes) {
        shards.add(current);
        current = new ArrayList<>();
        currentBytes = 0;
      }
      current.add(i);
      currentBytes += sizes[i];
    }
    if (!current.isEmpty() || shards.isEmpty()) {
      shards.add(current);
    }
    return shards;
  }
}
