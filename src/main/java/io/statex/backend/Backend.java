package io.statex.backend;

import io.statex.tensor.Device;
import io.statex.tensor.Storage;
import io.statex.tensor.Tensor;

/**
 * The op set one device implements. Callers ({@code io.statex.ops}) have validated shapes, dtypes and
 * devices and allocated the outputs; a backend only runs the kernel. Tensors passed here are on this
 * backend's device. Strided entries accept any view; the others say which inputs must be contiguous.
 */
public interface Backend {

  Device device();

  /** One line: what this backend is and runs on. */
  String describe();

  /** Raw memory for a tensor (never zeroed). */
  Storage allocate(long bytes);

  /** Waits until all work queued on this backend has finished. */
  void synchronize();

  /** out = op(x, scalar); same shape, any strides, F32 or BF16 (F64 on the CPU). */
  void unary(UnaryOp op, Tensor out, Tensor x, double scalar);

  /** dx = dy * op'(x). */
  void unaryBackward(UnaryOp op, Tensor dx, Tensor dy, Tensor x, double scalar);

  /** out = a op b; a and b already expanded (stride 0) to out's shape. */
  void binary(BinaryOp op, Tensor out, Tensor a, Tensor b);

  /** dst = (dst dtype) src, same shape, any strides and dtypes. */
  void copy(Tensor dst, Tensor src);

  /** Every element of a contiguous dst = value. */
  void fill(Tensor dst, double value);

  /** out[o, i] = reduce_k in[o, k, i] over a contiguous in viewed as [outer, n, inner]. */
  void reduce(ReduceOp op, Tensor out, Tensor argmax, Tensor in, long outer, long n, long inner);

  /** Row-wise softmax (or log-softmax) of contiguous [rows, n]. */
  void softmax(Tensor out, Tensor in, boolean log, long rows, long n);

  void softmaxBackward(Tensor dx, Tensor y, Tensor dy, boolean log, long rows, long n);

  /** y = x * rstd * w per row of contiguous [rows, n]; rstd ([rows] of x's wide dtype) and w may be null. */
  void rmsNorm(Tensor y, Tensor rstd, Tensor x, Tensor w, double eps, long rows, long n);

  /** dx and dw (x's wide dtype, accumulated into; may be null). */
  void rmsNormBackward(Tensor dx, Tensor dw, Tensor dy, Tensor x, Tensor w, Tensor rstd, long rows, long n);

  /** out[i, :] = table[idx[i], :]; an index out of range is an IllegalArgumentException. */
  void embedding(Tensor out, Tensor table, Tensor idx);

  /** dtable (dout's wide dtype) += scatter of dout rows by idx. */
  void embeddingBackward(Tensor dtable, Tensor dout, Tensor idx);

  /** Counter-based random fill of a contiguous out (element i uses counter offset + i). */
  void random(Distribution dist, Tensor out, long seed, long offset, double a, double b);

  /**
   * Batched GEMM: for each batch index, C = alpha * op(A) op(B) + beta * C, with op(A) [m, k], op(B)
   * [k, n], C [m, n]. Every matrix is row-major with unit column stride; its row stride is the leading
   * dimension; batch strides may be 0 (broadcast). A is stored [m, k] (or [k, m] if transA), B [k, n]
   * (or [n, k] if transB). F32 or BF16 operands of one dtype, fp32 accumulation (F64 on the CPU, in double).
   */
  void gemm(Gemm g);
}
