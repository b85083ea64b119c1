package io.statex.tensor;

import io.statex.backend.Backend;
import io.statex.backend.Backends;
import io.statex.backend.Distribution;
import java.util.Arrays;

/**
 * An n-dimensional array on one device: shape, strides (in elements), an offset into a shared
 * {@link Storage}, and a dtype. Views (reshape, transpose, slice, expand, ...) share storage; every
 * method that returns a tensor returns one the caller owns and must close (directly, or through the
 * {@link TensorScope} that was open when it was made). Closing releases the storage reference; the
 * memory goes back to its allocator when the last view closes.
 *
 * <p>Tensors are not thread-safe; the ops that read and write them live in {@code io.statex.ops}.
 */
public final class Tensor implements AutoCloseable {
  private final Storage storage;
  private final DType dtype;
  private final long[] shape;
  private final long[] strides;
  private final long offset;
  private boolean closed;

  /**
   * When the system property {@code statex.poison} is true, every new tensor starts filled with NaN
   * (integers: the most negative value), so that an element a kernel fails to write shows up in
   * tests. Off by default: it costs a fill per allocation.
   */
  private static final boolean POISON = Boolean.getBoolean("statex.poison");

  /**
   * A view over storage. Retains it; registers with the current {@link TensorScope}. F64 on a CUDA
   * device is refused here, where every tensor passes (no CUDA kernel has an F64 path), and in
   * {@link #empty} before any device memory is taken.
   */
  public Tensor(Storage storage, DType dtype, long[] shape, long[] strides, long offset) {
    if (shape.length != strides.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and strides " + Arrays.toString(strides) + " differ in rank");
    }
    checkPlacement(dtype, storage.device(), shape);
    this.storage = storage;
    this.dtype = dtype;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    storage.retain();
    TensorScope scope = TensorScope.current();
    if (scope != null) {
      scope.register(this);
    }
  }

  // ---------------------------------------------------------------- creation

  /** Uninitialised contiguous tensor. */
  public static Tensor empty(DType dtype, Device device, long... shape) {
    Shapes.checkShape("empty", shape);
    checkPlacement(dtype, device, shape);
    long bytes = Math.multiplyExact(Shapes.numel(shape), (long) dtype.size());
    Storage s = Backends.forDevice(device).allocate(bytes);
    Tensor t = new Tensor(s, dtype, shape.clone(), Shapes.contiguousStrides(shape), 0);
    if (POISON && bytes > 0) {
      t.poison();
    }
    return t;
  }

  public static Tensor zeros(DType dtype, Device device, long... shape) {
    Tensor t = empty(dtype, device, shape);
    t.fill(0);
    return t;
  }

  public static Tensor full(DType dtype, Device device, double value, long... shape) {
    Tensor t = empty(dtype, device, shape);
    t.fill(value);
    return t;
  }

  /** A CPU F32 tensor holding a copy of data (row-major). */
  public static Tensor of(float[] data, long... shape) {
    checkLength(data.length, shape);
    Tensor t = empty(DType.F32, Device.CPU, shape);
    Backends.cpu().writeFromArray(t.address(), data, 4L * data.length);
    return t;
  }

  /** A CPU F64 tensor holding a copy of data (row-major). */
  public static Tensor of(double[] data, long... shape) {
    checkLength(data.length, shape);
    Tensor t = empty(DType.F64, Device.CPU, shape);
    Backends.cpu().writeFromArray(t.address(), data, 8L * data.length);
    return t;
  }

  public static Tensor ofInts(int[] data, long... shape) {
    checkLength(data.length, shape);
    Tensor t = empty(DType.I32, Device.CPU, shape);
    Backends.cpu().writeFromArray(t.address(), data, 4L * data.length);
    return t;
  }

  public static Tensor ofLongs(long[] data, long... shape) {
    checkLength(data.length, shape);
    Tensor t = empty(DType.I64, Device.CPU, shape);
    Backends.cpu().writeFromArray(t.address(), data, 8L * data.length);
    return t;
  }

  /** A scalar (rank 0) CPU F32 tensor. */
  public static Tensor scalar(float value) {
    return of(new float[] {value});
  }

  /** Uniform [lo, hi) from the counter-based generator (same values on CPU and CUDA). */
  public static Tensor uniform(DType dtype, Device device, long seed, double lo, double hi, long... shape) {
    Tensor t = empty(dtype, device, shape);
    Backends.forDevice(device).random(Distribution.UNIFORM, t, seed, 0, lo, hi);
    return t;
  }

  /** Normal(mean, std) from the counter-based generator. */
  public static Tensor normal(DType dtype, Device device, long seed, double mean, double std, long... shape) {
    Tensor t = empty(dtype, device, shape);
    Backends.forDevice(device).random(Distribution.NORMAL, t, seed, 0, mean, std);
    return t;
  }

  /** F64 lives on the CPU only; refused before any device memory is taken. */
  private static void checkPlacement(DType dtype, Device device, long[] shape) {
    if (dtype == DType.F64 && device.isCuda()) {
      throw new IllegalArgumentException("F64 is supported on the CPU backend only: cannot make an F64 tensor "
          + Arrays.toString(shape) + " on " + device);
    }
  }

  private static void checkLength(int length, long[] shape) {
    Shapes.checkShape("tensor", shape);
    if (Shapes.numel(shape) != length) {
      throw new IllegalArgumentException("data has " + length + " elements but shape " + Arrays.toString(shape) + " needs " + Shapes.numel(shape));
    }
  }

  // ---------------------------------------------------------------- properties

  public DType dtype() {
    return dtype;
  }

  public Device device() {
    return storage.device();
  }

  public Storage storage() {
    return storage;
  }

  public long[] shape() {
    return shape.clone();
  }

  public long[] strides() {
    return strides.clone();
  }

  /** Shape without a copy, for hot paths that promise not to modify it. */
  public long[] shapeRef() {
    return shape;
  }

  public long[] stridesRef() {
    return strides;
  }

  public int ndim() {
    return shape.length;
  }

  public long size(int dim) {
    return shape[Shapes.axis(dim, shape.length)];
  }

  public long numel() {
    return Shapes.numel(shape);
  }

  /** Offset of the first element, in elements, from the start of the storage. */
  public long offset() {
    return offset;
  }

  /** Address of the first element (host pointer on the CPU, device pointer on CUDA). */
  public long address() {
    ensureOpen();
    return storage.address() + offset * dtype.size();
  }

  public boolean isContiguous() {
    return Shapes.isContiguous(shape, strides);
  }

  public boolean isClosed() {
    return closed;
  }

  public Backend backend() {
    return Backends.forDevice(device());
  }

  // ---------------------------------------------------------------- views

  /** A new handle on the same elements (the caller owns it). */
  public Tensor view() {
    ensureOpen();
    return new Tensor(storage, dtype, shape.clone(), strides.clone(), offset);
  }

  /** Same elements, new shape (one dimension may be -1). Copies only if this is not contiguous. */
  public Tensor reshape(long... newShape) {
    ensureOpen();
    long[] s = resolveShape(newShape);
    if (isContiguous()) {
      return new Tensor(storage, dtype, s, Shapes.contiguousStrides(s), offset);
    }
    try (Tensor c = contiguous()) {
      return new Tensor(c.storage, dtype, s, Shapes.contiguousStrides(s), c.offset);
    }
  }

  private long[] resolveShape(long[] newShape) {
    long[] s = newShape.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("reshape: more than one -1 in " + Arrays.toString(newShape));
        }
        infer = i;
      } else {
        known *= s[i];
      }
    }
    long n = numel();
    if (infer >= 0) {
      if (known == 0 || n % known != 0) {
        throw new IllegalArgumentException("reshape: cannot infer -1 in " + Arrays.toString(newShape) + " for " + n + " elements");
      }
      s[infer] = n / known;
    }
    Shapes.checkShape("reshape", s);
    if (Shapes.numel(s) != n) {
      throw new IllegalArgumentException("reshape: shape " + Arrays.toString(shape) + " (" + n + " elements) cannot become " + Arrays.toString(newShape));
    }
    return s;
  }

  public Tensor transpose(int a, int b) {
    ensureOpen();
    int x = Shapes.axis(a, shape.length);
    int y = Shapes.axis(b, shape.length);
    long[] s = shape.clone();
    long[] st = strides.clone();
    s[x] = shape[y];
    s[y] = shape[x];
    st[x] = strides[y];
    st[y] = strides[x];
    return new Tensor(storage, dtype, s, st, offset);
  }

  public Tensor permute(int... order) {
    ensureOpen();
    if (order.length != shape.length) {
      throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " has rank " + order.length + ", tensor has " + shape.length);
    }
    long[] s = new long[order.length];
    long[] st = new long[order.length];
    boolean[] seen = new boolean[order.length];
    for (int i = 0; i < order.length; i++) {
      int d = Shapes.axis(order[i], shape.length);
      if (seen[d]) {
        throw new IllegalArgumentException("permute: axis " + d + " repeated in " + Arrays.toString(order));
      }
      seen[d] = true;
      s[i] = shape[d];
      st[i] = strides[d];
    }
    return new Tensor(storage, dtype, s, st, offset);
  }

  /** Elements start..end-1 (step 1) along dim. */
  public Tensor slice(int dim, long start, long end) {
    return slice(dim, start, end, 1);
  }

  public Tensor slice(int dim, long start, long end, long step) {
    ensureOpen();
    int d = Shapes.axis(dim, shape.length);
    if (step <= 0) {
      throw new IllegalArgumentException("slice: step must be > 0, got " + step);
    }
    if (start < 0 || end > shape[d] || start > end) {
      throw new IllegalArgumentException("slice: [" + start + ", " + end + ") is outside dimension " + d + " of size " + shape[d]);
    }
    long[] s = shape.clone();
    long[] st = strides.clone();
    s[d] = (end - start + step - 1) / step;
    st[d] = strides[d] * step;
    return new Tensor(storage, dtype, s, st, offset + start * strides[d]);
  }

  /** The sub-tensor at index along dim (rank drops by one). */
  public Tensor select(int dim, long index) {
    ensureOpen();
    int d = Shapes.axis(dim, shape.length);
    if (index < 0 || index >= shape[d]) {
      throw new IllegalArgumentException("select: index " + index + " is outside dimension " + d + " of size " + shape[d]);
    }
    long[] s = new long[shape.length - 1];
    long[] st = new long[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != d) {
        s[j] = shape[i];
        st[j++] = strides[i];
      }
    }
    return new Tensor(storage, dtype, s, st, offset + index * strides[d]);
  }

  public Tensor unsqueeze(int dim) {
    ensureOpen();
    int d = dim < 0 ? dim + shape.length + 1 : dim;
    if (d < 0 || d > shape.length) {
      throw new IllegalArgumentException("unsqueeze: dim " + dim + " out of range for rank " + shape.length);
    }
    long[] s = new long[shape.length + 1];
    long[] st = new long[shape.length + 1];
    for (int i = 0, j = 0; i < s.length; i++) {
      if (i == d) {
        s[i] = 1;
        st[i] = j < shape.length ? strides[j] * shape[j] : 1;
      } else {
        s[i] = shape[j];
        st[i] = strides[j++];
      }
    }
    return new Tensor(storage, dtype, s, st, offset);
  }

  /** Broadcasts to shape (size-1 dimensions and missing leading ones get stride 0). */
  public Tensor expand(long... target) {
    ensureOpen();
    if (target.length < shape.length) {
      throw new IllegalArgumentException("expand: cannot expand " + Arrays.toString(shape) + " to fewer dimensions " + Arrays.toString(target));
    }
    long[] st = new long[target.length];
    int lead = target.length - shape.length;
    for (int i = 0; i < target.length; i++) {
      if (i < lead) {
        st[i] = 0;
        continue;
      }
      long have = shape[i - lead];
      if (have == target[i]) {
        st[i] = strides[i - lead];
      } else if (have == 1) {
        st[i] = 0;
      } else {
        throw new IllegalArgumentException("expand: " + Arrays.toString(shape) + " cannot broadcast to " + Arrays.toString(target));
      }
    }
    return new Tensor(storage, dtype, target.clone(), st, offset);
  }

  // ---------------------------------------------------------------- copies and data

  /** A contiguous tensor with the same elements (a fresh copy if this is not contiguous). */
  public Tensor contiguous() {
    ensureOpen();
    if (isContiguous()) {
      return view();
    }
    Tensor out = empty(dtype, device(), shape);
    backend().copy(out, this);
    return out;
  }

  /** A copy with a new dtype (casting), or a view when the dtype is already this one. */
  public Tensor to(DType target) {
    ensureOpen();
    if (target == dtype) {
      return view();
    }
    Tensor out = empty(target, device(), shape);
    backend().copy(out, this);
    return out;
  }

  /** A copy on another device (contiguous), or a view when already there. */
  public Tensor to(Device target) {
    ensureOpen();
    if (target.equals(device())) {
      return view();
    }
    try (Tensor src = contiguous()) {
      Tensor out = empty(dtype, target, shape);
      Backends.transfer(out, src);
      return out;
    }
  }

  /** A contiguous copy on the same device. */
  public Tensor copy() {
    ensureOpen();
    Tensor out = empty(dtype, device(), shape);
    backend().copy(out, this);
    return out;
  }

  /** Writes src's elements into this tensor (same shape; dtype cast; any strides; same device). */
  public void copyFrom(Tensor src) {
    ensureOpen();
    if (!Arrays.equals(shape, src.shape)) {
      throw new IllegalArgumentException("copyFrom: shape " + Arrays.toString(src.shape) + " differs from " + Arrays.toString(shape));
    }
    if (src.device().equals(device())) {
      backend().copy(this, src);
      return;
    }
    try (Tensor moved = src.to(device())) {
      backend().copy(this, moved);
    }
  }

  /** Sets every element to value (strided views included). */
  public void fill(double value) {
    ensureOpen();
    if (isContiguous()) {
      backend().fill(this, value);
      return;
    }
    try (Tensor c = full(dtype, device(), value, shape)) {
      backend().copy(this, c);
    }
  }

  /** Fills with NaN (float dtypes) or the most negative value (integers): unwritten elements show. */
  public void poison() {
    fill(dtype.isFloat() ? Double.NaN : (dtype == DType.I32 ? Integer.MIN_VALUE : -(1L << 53)));
  }

  /** All elements as floats, row-major (any dtype and device). */
  public float[] toFloatArray() {
    try (Tensor host = hostCopy(DType.F32)) {
      float[] out = new float[Math.toIntExact(host.numel())];
      Backends.cpu().readToArray(out, host.address(), 4L * out.length);
      return out;
    }
  }

  /** All elements as doubles, row-major (any dtype and device; exact for every float dtype and I32). */
  public double[] toDoubleArray() {
    try (Tensor host = hostCopy(DType.F64)) {
      double[] out = new double[Math.toIntExact(host.numel())];
      Backends.cpu().readToArray(out, host.address(), 8L * out.length);
      return out;
    }
  }

  public int[] toIntArray() {
    try (Tensor host = hostCopy(DType.I32)) {
      int[] out = new int[Math.toIntExact(host.numel())];
      Backends.cpu().readToArray(out, host.address(), 4L * out.length);
      return out;
    }
  }

  public long[] toLongArray() {
    try (Tensor host = hostCopy(DType.I64)) {
      long[] out = new long[Math.toIntExact(host.numel())];
      Backends.cpu().readToArray(out, host.address(), 8L * out.length);
      return out;
    }
  }

  /** The single element of a one-element tensor. */
  public double item() {
    if (numel() != 1) {
      throw new IllegalArgumentException("item: tensor of shape " + Arrays.toString(shape) + " has " + numel() + " elements, not 1");
    }
    return dtype == DType.I64 ? toLongArray()[0] : toDoubleArray()[0];
  }

  private Tensor hostCopy(DType target) {
    ensureOpen();
    try (Tensor onHost = to(Device.CPU)) {
      Tensor typed = onHost.to(target);
      if (typed.isContiguous()) {
        return typed;
      }
      try (typed) {
        return typed.contiguous();
      }
    }
  }

  // ---------------------------------------------------------------- lifetime

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      storage.release();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("tensor " + Arrays.toString(shape) + " " + dtype + " on " + device() + " is closed");
    }
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape) + " " + dtype + " " + device() + (closed ? " (closed)" : "");
  }
}
