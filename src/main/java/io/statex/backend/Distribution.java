package io.statex.backend;

/** Random distributions of the counter-based generator; ordinals are {@code statex_distribution}. */
public enum Distribution {
  UNIFORM,
  NORMAL;

  public int code() {
    return ordinal();
  }
}
