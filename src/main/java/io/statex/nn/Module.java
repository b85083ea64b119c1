package io.statex.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tree of named parameters and submodules. Names join with dots into the Hugging Face parameter
 * names of the model families ({@code model.layers.3.attn.q_proj.weight}), which is what checkpoints
 * store. Closing a module frees its parameters.
 */
public abstract class Module implements AutoCloseable {
  private final Map<String, Parameter> params = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();

  protected final Parameter register(String name, Parameter p) {
    if (params.containsKey(name) || children.containsKey(name)) {
      throw new IllegalStateException("duplicate name '" + name + "' in " + getClass().getSimpleName());
    }
    params.put(name, p);
    return p;
  }

  protected final <M extends Module> M register(String name, M child) {
    if (params.containsKey(name) || children.containsKey(name)) {
      throw new IllegalStateException("duplicate name '" + name + "' in " + getClass().getSimpleName());
    }
    children.put(name, child);
    return child;
  }

  /** Every parameter under this module by its dotted name, in registration order. */
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out);
    return out;
  }

  public final List<Parameter> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** Number of parameter elements (a tied tensor counted once). */
  public final long parameterCount() {
    return namedParameters().values().stream().distinct().mapToLong(Parameter::numel).sum();
  }

  private void collect(String prefix, Map<String, Parameter> out) {
    params.forEach((n, p) -> out.putIfAbsent(prefix + n, p));
    children.forEach((n, c) -> c.collect(prefix + n + ".", out));
  }

  @Override
  public void close() {
    namedParameters().values().stream().distinct().forEach(Parameter::close);
  }
}
