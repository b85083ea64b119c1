package io.statex.ops;

import io.statex.reference.Nd;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One entry of the op catalogue: named inputs, the product call, and its float64 reference. The
 * same entry runs on the CPU and on CUDA; outputs are compared with the reference under the
 * tolerance of outDType, integer outputs exactly.
 */
public final class OpCase {
  private final String name;
  private final DType outDType;
  private final Map<String, Input> inputs = new LinkedHashMap<>();
  private long accumulation = 1;
  private Function<Map<String, Tensor>, List<Tensor>> run;
  private Function<Map<String, Nd>, List<double[]>> reference;

  private OpCase(String name, DType outDType) {
    this.name = name;
    this.outDType = outDType;
  }

  public static OpCase of(String name, DType outDType) {
    return new OpCase(name, outDType);
  }

  public OpCase input(String key, Input in) {
    inputs.put(key, in);
    return this;
  }

  public OpCase run(Function<Map<String, Tensor>, List<Tensor>> f) {
    this.run = f;
    return this;
  }

  public OpCase reference(Function<Map<String, Nd>, List<double[]>> f) {
    this.reference = f;
    return this;
  }

  /** The longest accumulation behind an output (reduced axis, dot-product length): it scales the fp64 tolerance. */
  public OpCase accumulation(long n) {
    this.accumulation = n;
    return this;
  }

  public long accumulation() {
    return accumulation;
  }

  public DType outDType() {
    return outDType;
  }

  /** F64 in or out: the case runs on the CPU only (CUDA rejects F64, which OpsGpuTest checks separately). */
  public boolean cpuOnly() {
    return outDType == DType.F64 || inputs.values().stream().anyMatch(i -> i.dtype() == DType.F64);
  }

  /** Display name spelling the case: op, inputs (dtype, shape, view). */
  public String displayName() {
    StringBuilder sb = new StringBuilder(name);
    for (Map.Entry<String, Input> e : inputs.entrySet()) {
      sb.append(' ').append(e.getKey()).append('=').append(e.getValue().describe());
    }
    return sb.toString();
  }

  /** Makes the inputs on device (values fixed by seed), closes them after use. */
  public Map<String, Tensor> makeInputs(Device device, long seed) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, Input> e : inputs.entrySet()) {
      m.put(e.getKey(), e.getValue().make(device, seed + 7919L * i++));
    }
    return m;
  }

  public List<Tensor> run(Map<String, Tensor> in) {
    return run.apply(in);
  }

  /** The float64 reference on the logical values of the inputs. */
  public List<double[]> reference(Map<String, Tensor> in) {
    Map<String, Nd> nd = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : in.entrySet()) {
      nd.put(e.getKey(), Nd.of(e.getValue().toDoubleArray(), e.getValue().shape()));
    }
    return new ArrayList<>(reference.apply(nd));
  }

  @Override
  public String toString() {
    return displayName();
  }
}
