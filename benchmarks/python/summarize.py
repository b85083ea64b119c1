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
