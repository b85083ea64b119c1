package io.statex.data;

/**
 * Multi-query associative recall settings and token layout in one record, so that a model sizes its
 * vocabulary from {@link #vocabSize} and an evaluation knows which ids mean what:
 *
 * <pre>
 * ids [0, noise)                              filler: one filler token when noise = 1, else random noise
 * ids [noise, noise + keys)                   keys
 * ids [noise + keys, noise + keys + values)   values
 * </pre>
 *
 * An example of {@code length} positions opens with {@code pairs} key-value pairs (k v k v ...,
 * keys distinct), then filler in which {@code queries} of those keys recur, each followed by its
 * value; the target at a query key is its value and every other target is ignored. Values are drawn
 * independently and uniformly, so guessing scores {@link #chance} = 1 / values.
 *
 * @param keys size of the key vocabulary (>= pairs, so keys can be distinct)
 * @param values size of the value vocabulary
 * @param pairs key-value pairs per example
 * @param queries queried keys per example, distinct, in [1, pairs]
 * @param length positions per example; at least 2 x pairs + 2 x queries
 * @param noise filler ids: 1 for a single filler token, more for uniformly random noise tokens
 */
public record MqarConfig(int keys, int values, int pairs, int queries, int length, int noise) {
  public MqarConfig {
    require(pairs >= 1, "pairs", ">= 1", pairs);
    require(keys >= pairs, "keys", ">= pairs = " + pairs, keys);
    require(values >= 1, "values", ">= 1", values);
    require(queries >= 1 && queries <= pairs, "queries", "in [1, pairs = " + pairs + "]", queries);
    require(noise >= 1, "noise", ">= 1", noise);
    long minLength = 2L * pairs + 2L * queries;
    require(length >= minLength, "length", ">= 2 x pairs + 2 x queries = " + minLength, length);
    long vocab = (long) noise + keys + values;
    if (vocab > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("noise + keys + values: expected at most " + Integer.MAX_VALUE + ", found " + vocab);
    }
  }

  /** Every key queried once, one filler token: the common benchmark shape. */
  public static MqarConfig of(int keys, int values, int pairs, int length) {
    return new MqarConfig(keys, values, pairs, pairs, length, 1);
  }

  private static void require(boolean ok, String name, String expected, int found) {
    if (!ok) {
      throw new IllegalArgumentException(name + ": expected " + expected + ", found " + found);
    }
  }

  public int vocabSize() {
    return noise + keys + values;
  }

  /** The filler id used when noise = 1 (and the first noise id otherwise). */
  public int fillerId() {
    return 0;
  }

  public int keyId(int k) {
    return noise + k;
  }

  public int valueId(int v) {
    return noise + keys + v;
  }

  public boolean isKey(int id) {
    return id >= noise && id < noise + keys;
  }

  public boolean isValue(int id) {
    return id >= noise + keys && id < vocabSize();
  }

  /** Accuracy of uniform guessing among the values. */
  public double chance() {
    return 1.0 / values;
  }
}
