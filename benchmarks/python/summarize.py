"""Prints the summary table of a GPU suite run: test counts and failures, JMH results, baselines.

usage: python3 summarize.py OUT_DIR
"""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET


def tests(out):
    files = glob.glob(os.path.join(out, "junit", "*.xml"))
    if not files:
        print("tests: no JUnit report")
        return
    total = failed = errors = skipped = 0
    bad = []
    for f in files:
        root = ET.parse(f).getroot()
        for case in root.iter("testcase"):
            total += 1
            name = case.get("classname", "") + " " + case.get("name", "")
            if case.find("failure") is not None:
                failed += 1
                bad.append((name, case.find("failure").get("message", "")))
            elif case.find("error") is not None:
                errors += 1
                bad.append((name, case.find("error").get("message", "")))
            elif case.find("skipped") is not None:
                skipped += 1
    print(f"GPU tests: {total} run, {total - failed - errors - skipped} passed, {failed} failed, {errors} errors, {skipped} skipped")
    for name, msg in bad[:15]:
        print(f"  FAIL {name}: {(msg or '')[:300]}")


# Roofline ceilings when the run measured none: the H100 readings of docs/PERFORMANCE.md.
DEFAULT_TFLOPS = 731.0
DEFAULT_GBPS = 2945.0


def ceilings(out):
    """Measured bf16 GEMM TFLOP/s and copy GB/s of this run (parity or baselines JSON), else defaults."""
    tflops, gbps = DEFAULT_TFLOPS, DEFAULT_GBPS
    for name in ("parity.json", "baselines.json"):
        path = os.path.join(out, name)
        if not os.path.exists(path):
            continue
        try:
            for case in json.load(open(path)).get("cases", []):
                if case.get("name", "").startswith("gemm_bf16") and case.get("tflops_fwd"):
                    tflops = case["tflops_fwd"]
                if case.get("name", "").startswith("copy_d2d") and case.get("gbps"):
                    gbps = case["gbps"]
        except ValueError:
            pass
    return tflops, gbps


def cost_lines(out):
    """STATEX-COST lines the kernel benchmarks print: (bench, shape) -> {flops, bytes, peak_mib}."""
    costs = {}
    path = os.path.join(out, "jmh.txt")
    if not os.path.exists(path):
        return costs
    for line in open(path, errors="replace"):
        if "STATEX-COST " in line:
            kv = dict(part.split("=", 1) for part in line[line.index("STATEX-COST "):].split()[1:])
            costs[(kv["bench"], kv["shape"])] = {k: float(kv[k]) for k in ("flops", "bytes", "peak_mib")}
    return costs


def kernels(out, rows):
    costs = cost_lines(out)
    if not costs:
        return
    tflops, gbps = ceilings(out)
    print(f"kernels (roofline floor = max(FLOPs / {tflops:.0f} TFLOP/s, min bytes / {gbps:.0f} GB/s))")
    print(f"{'benchmark':<30} {'shape':<28} {'median ms':>10} {'TFLOP/s':>8} {'GB/s':>7} {'% roofline':>10} {'peak MiB':>9}")
    for r in rows:
        name = r["benchmark"].replace("io.statex.bench.", "")
        p = r.get("params") or {}
        key = (name, p.get("shape", ""))
        if key not in costs:
            continue
        c = costs[key]
        m = r["primaryMetric"]
        ms = m.get("scorePercentiles", {}).get("50.0", m["score"]) / 1000.0  # us -> ms
        floor_ms = max(c["flops"] / (tflops * 1e9), c["bytes"] / (gbps * 1e6))
        print(f"{name:<30} {key[1]:<28} {ms:>10.3f} {c['flops'] / (ms * 1e9):>8.1f} {c['bytes'] / (ms * 1e6):>7.0f}"
              f" {100 * floor_ms / ms:>9.1f}% {c['peak_mib']:>9.0f}")


def jmh(out):
    path = os.path.join(out, "jmh.json")
    if not os.path.exists(path):
        return
    try:
        rows = json.load(open(path))
    except ValueError:
        print("jmh: unreadable jmh.json")
        return
    print(f"{'benchmark':<44} {'params':<40} {'median':>12} {'unit':<8}")
    for r in rows:
        m = r["primaryMetric"]
        pct = m.get("scorePercentiles", {})
        median = pct.get("50.0", m["score"])
        params = ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
        name = r["benchmark"].replace("io.statex.bench.", "")
        extra = ""
        p = r.get("params") or {}
        if "GemmBench" in name and "n" in p:
            n = int(p["n"])
            extra = f"  {2 * n ** 3 / (median * 1e6):.1f} TFLOP/s"
        print(f"{name:<44} {params:<40} {median:>12.3f} {m['scoreUnit']:<8}{extra}")
    kernels(out, rows)


def baselines(out):
    path = os.path.join(out, "baselines.json")
    if not os.path.exists(path):
        return
    try:
        data = json.load(open(path))
    except ValueError:
        print("baselines: unreadable baselines.json")
        return
    print("public baselines:")
    for case in data.get("cases", []):
        name = case.get("name", "?")
        fields = []
        for key in ("fwd_ms", "fwdbwd_ms", "tflops_fwd", "peak_mib", "gbps"):
            if case.get(key) is not None:
                fields.append(f"{key}={case[key]:.3f}" if isinstance(case[key], float) else f"{key}={case[key]}")
        if case.get("error"):
            fields.append("error=" + str(case["error"])[:120])
        print(f"  {name:<48} " + " ".join(fields))


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "gpu-out"
    print("=" * 100)
    tests(out)
    jmh(out)
    baselines(out)
