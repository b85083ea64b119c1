/**
 * Training and evaluation data without Python or a network: token shards on disk, packing into
 * fixed-length rows, and synthetic recall tasks generated on demand.
 *
 * <ul>
 *   <li>{@link io.statex.data.TokenShardWriter} / {@link io.statex.data.TokenShard} /
 *       {@link io.statex.data.TokenShards}: a small little-endian shard format (header in
 *       {@link io.statex.data.TokenShardHeader}), written atomically, read memory-mapped, checked
 *       before it is trusted.
 *   <li>{@link io.statex.data.PackedSequences}: rows of L + 1 tokens from a {@link
 *       io.statex.data.TokenSource}, a seeded order per epoch, and a {@link
 *       io.statex.data.PackingCursor} that a checkpoint saves.
 *   <li>{@link io.statex.data.Mqar} and {@link io.statex.data.Passkey}: multi-query associative
 *       recall and passkey retrieval, pure functions of (settings, seed, index).
 * </ul>
 *
 * Every source yields {@link io.statex.data.TokenBatch}es (targets of -1 are ignored) through the
 * {@link io.statex.data.BatchSource} interface. docs/data.md describes the format and the tasks.
 */
package io.statex.data;
