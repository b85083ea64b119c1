package io.statex.eval;

import io.statex.data.Passkey;
import io.statex.data.PasskeyConfig;
import io.statex.data.PasskeyVocab;
import io.statex.data.TokenBatch;
import java.util.Arrays;

/**
 * Passkey retrieval ({@link Passkey}): repeated filler with "the pass key is D D D D D . remember it ."
 * at the depth, then "what is the pass key ? the pass key is"; the answer is the digits. The key of
 * example n depends on (seed, n) only, so every cell hides the same keys.
 */
public record PasskeyTask(int digits) implements AnswerTask {
  @Override
  public String name() {
    return "passkey";
  }

  @Override
  public long vocabSize() {
    return PasskeyVocab.size();
  }

  @Override
  public Example example(int length, double depth, long seed, long n) {
    PasskeyConfig cfg = new PasskeyConfig(length, depth, digits);
    Passkey source = new Passkey(cfg, seed, 1);
    TokenBatch b = source.batch(n);
    int[] prompt = Arrays.copyOf(b.inputs(), cfg.promptLength());
    int[] answer = Arrays.stream(source.key(n)).map(PasskeyVocab::digit).toArray();
    return new Example(prompt, answer);
  }
}
