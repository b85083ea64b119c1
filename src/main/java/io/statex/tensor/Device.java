package io.statex.tensor;

/** Where a tensor lives: the host ({@code cpu}) or a CUDA device ({@code cuda:N}). */
public record Device(Kind kind, int index) {
  public enum Kind {
    CPU,
    CUDA
  }

  public static final Device CPU = new Device(Kind.CPU, 0);

  public Device {
    if (kind == null) {
      throw new IllegalArgumentException("device kind is null");
    }
    if (index < 0 || (kind == Kind.CPU && index != 0)) {
      throw new IllegalArgumentException("device index " + index + " is invalid for " + kind);
    }
  }

  public static Device cuda(int index) {
    return new Device(Kind.CUDA, index);
  }

  public boolean isCuda() {
    return kind == Kind.CUDA;
  }

  /** Parses "cpu", "cuda" (= cuda:0) or "cuda:N". */
  public static Device parse(String spec) {
    String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("cpu")) {
      return CPU;
    }
    if (s.equals("cuda") || s.equals("gpu")) {
      return cuda(0);
    }
    if (s.startsWith("cuda:")) {
      try {
        return cuda(Integer.parseInt(s.substring(5)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad device '" + spec + "': the index after 'cuda:' is not a number", e);
      }
    }
    throw new IllegalArgumentException("bad device '" + spec + "' (expected cpu, cuda or cuda:N)");
  }

  @Override
  public String toString() {
    return kind == Kind.CPU ? "cpu" : "cuda:" + index;
  }
}
