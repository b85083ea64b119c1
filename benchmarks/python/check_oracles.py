"""Checks, without importing anything, that an oracles/ folder holds every module the baselines need.

usage: python3 check_oracles.py [ORACLES_DIR]

Follows the import statements of the entry modules through the fla / mamba_ssm files present, the way
Python would execute them when baselines.py has replaced the top packages by stubs: importing a module
runs every parent package's __init__.py except the stubbed ones. Each import is classed as
  required  at module level and not guarded,
  guarded   inside try/except ImportError or contextlib.suppress(ImportError) (a miss is tolerated),
  lazy      inside a function body (runs only if that function is called).
Prints the files reached, the external packages needed, and every unresolved fla / mamba_ssm module.
Exits 1 if a required internal module is missing or an external outside the allowed set is required.
"""
import ast
import os
import sys

# What baselines.py imports, and which packages it replaces by stub modules.
ENTRIES = {
    "fla": (["fla.ops.gla"], {"fla", "fla.ops"}),
    "mamba_ssm": (["mamba_ssm.ops.triton.ssd_combined", "mamba_ssm.modules.ssd_minimal"], {"mamba_ssm"}),
}
# Third-party packages the GPU host has (besides the standard library).
ALLOWED_EXTERNAL = {"torch", "triton", "numpy", "einops", "packaging"}


def module_file(root, name):
    """Path of the file that defines module `name` under root, or None."""
    base = os.path.join(root, *name.split("."))
    for path in (os.path.join(base, "__init__.py"), base + ".py"):
        if os.path.isfile(path):
            return path
    return None


def is_package(root, name):
    return os.path.isdir(os.path.join(root, *name.split(".")))


def guard_kind(stack):
    """'lazy', 'guarded' or 'required' for an import whose enclosing nodes are `stack`."""
    kind = "required"
    for node, parent in zip(stack[1:], stack[:-1]):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return "lazy"
        if isinstance(parent, ast.Try) and node in parent.body:
            names = [ast.unparse(h.type) if h.type is not None else "" for h in parent.handlers]
            if any(n == "" or "ImportError" in n or "ModuleNotFoundError" in n or n == "Exception"
                   for n in names):
                kind = "guarded"
        if isinstance(node, ast.With) and any("suppress" in ast.unparse(i.context_expr)
                                              and "ImportError" in ast.unparse(i.context_expr)
                                              for i in node.items):
            kind = "guarded"
    return kind


def imports_of(path, module, package):
    """Yields (kind, module_name, imported_names) for each import statement in the file."""
    tree = ast.parse(open(path, encoding="utf-8").read(), path)

    def walk(node, stack):
        stack = stack + [node]
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield guard_kind(stack), alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = (module if package else module.rsplit(".", 1)[0]).split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module
            yield guard_kind(stack), base, [a.name for a in node.names]
        for child in ast.iter_child_nodes(node):
            yield from walk(child, stack)

    yield from walk(tree, [])


def defines(path, name):
    """Whether the module source binds `name` at all (assignment, def, class or import)."""
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if any((a.asname or a.name.split(".")[0]) == name for a in node.names):
                return True
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == name:
            return True
    return False


def check(root, top, entries, stubs):
    reached, externals, missing, stub_attrs = {}, {}, [], set()
    queue = [(e, "required", "entry") for e in entries]
    seen = set()
    while queue:
        name, kind, origin = queue.pop(0)
        if (name, kind) in seen:
            continue
        seen.add((name, kind))
        if name.split(".")[0] != top:
            ext = name.split(".")[0]
            if ext not in sys.stdlib_module_names:
                externals.setdefault(ext, set()).add(kind)
            continue
        # importing a.b.c executes a, a.b (unless stubbed), then a.b.c
        parts = name.split(".")
        chain = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
        for mod in chain:
            if mod in stubs:
                continue
            path = module_file(root, mod)
            if path is None:
                if not (is_package(root, mod) and mod != name):  # namespace folder
                    missing.append((mod, kind, origin))
                break
            if mod in reached and (reached[mod] == "required" or reached[mod] == kind):
                continue
            if mod not in reached or kind == "required":
                reached[mod] = kind
            package = path.endswith("__init__.py")
            for ikind, target, names in imports_of(path, mod, package):
                eff = ikind if kind == "required" else kind
                queue.append((target, eff, mod))
                for n in names:
                    sub = f"{target}.{n}"
                    if target in stubs and not (module_file(root, sub) or is_package(root, sub)):
                        stub_attrs.add(sub)
                        continue
                    if n != "*" and target.split(".")[0] == top and (
                            module_file(root, sub) or is_package(root, sub)):
                        queue.append((sub, eff, mod))
                    elif n != "*" and target.split(".")[0] == top:
                        tpath = module_file(root, target)
                        if tpath and not defines(tpath, n):
                            missing.append((sub, eff, mod))
    return reached, externals, missing, stub_attrs


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "oracles")
    failed = False
    for top, (entries, stubs) in ENTRIES.items():
        reached, externals, missing, stub_attrs = check(root, top, entries, stubs)
        required = sorted(m for m, k in reached.items() if k == "required")
        print(f"== {top}: entries {', '.join(entries)}; stubs {', '.join(sorted(stubs))}")
        print(f"  modules executed at import: {len(required)}")
        for m in required:
            print(f"    {m}")
        if stub_attrs:
            print("  attributes the stub modules must define: " + ", ".join(sorted(stub_attrs)))
        others = sorted(f"{m} ({k})" for m, k in reached.items() if k != "required")
        if others:
            print("  modules reached only lazily or under a guard: " + ", ".join(others))
        present = set()
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith(".py"):
                    rel = os.path.relpath(os.path.join(dirpath, f), root)[:-3].replace(os.sep, ".")
                    present.add(rel[: -len(".__init__")] if rel.endswith(".__init__") else rel)
        unused = sorted(present - set(reached))
        if unused:
            print("  files present but never reached: " + ", ".join(unused))
        for ext, kinds in sorted(externals.items()):
            need = "required" if "required" in kinds else "/".join(sorted(kinds))
            bad = need == "required" and ext not in ALLOWED_EXTERNAL
            failed |= bad
            print(f"  external {ext}: {need}{'  <-- NOT AVAILABLE ON THE GPU HOST' if bad else ''}")
        seen = set()
        for mod, kind, origin in missing:
            if (mod, kind) in seen:
                continue
            seen.add((mod, kind))
            bad = kind == "required"
            failed |= bad
            print(f"  {'MISSING' if bad else 'absent (ok)'} {mod} [{kind}] imported by {origin}")
    print("oracles: " + ("INCOMPLETE" if failed else "complete"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
