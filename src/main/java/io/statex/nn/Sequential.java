package io.statex.nn;

/** Submodules named 0, 1, 2 ... (torch.nn.Sequential's names, as in fla's gk_proj.0 / gk_proj.1). */
final class Sequential extends Module {
  private int count;

  <M extends Module> M add(M child) {
    return register(Integer.toString(count++), child);
  }
}
