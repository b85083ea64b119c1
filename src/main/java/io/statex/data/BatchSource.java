package io.statex.data;

/**
 * Batches addressed by a step index: batch(i) is a pure function of i and the source's settings,
 * so a run resumes exactly from the step it saved, and ranks of a data-parallel run can each ask
 * for their own index. {@link PackedSequences}, {@link Mqar} and {@link Passkey} are sources.
 */
@FunctionalInterface
public interface BatchSource {
  TokenBatch batch(long index);
}
