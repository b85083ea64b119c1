#!/usr/bin/env python3
"""Times the best public implementations of the engine's ops on this GPU, for side-by-side reports.

    PYTHONUNBUFFERED=1 python3 benchmarks/python/baselines.py --oracles oracles --suite all --out baselines.json

Suites (comma-separated, or `all`):
  gemm  the device's ceilings: bf16, fp32 and tf32 matmul (8192^3) and a device-to-device copy
  gla   fla `chunk_gla` (chunked gated linear attention), forward and forward+backward
  ssd   mamba_ssm `mamba_chunk_scan_combined` (Mamba2 SSD), forward and forward+backward
  conv  causal depthwise conv1d in plain PyTorch (F.conv1d), the fallback Mamba2 uses without the
        compiled causal_conv1d extension, which the GPU host does not have

The fla and mamba_ssm sources are third-party and never committed: fetch_oracles.sh copies the few
files needed into oracles/, and this script imports them through stub top-level packages so their
package __init__ files (which pull in transformers and every other op) never run.

Every case runs in its own worker process (--isolate case): each shape gets its own autotuning, as
in a training run, and a crash, a hang (--case-timeout) or an exhausted budget (--total-seconds)
costs one case, not the run; the parent rewrites the JSON after every case. Within a case, each mode
(fwd, fwdbwd) is timed with CUDA events around single calls, the L2 cache flushed before each call
(outside the timed region), after one untimed first call (Triton compilation and autotuning,
reported as first_call_s) and a short warm-up. --max-seconds bounds the warm-up and timed calls of
each case; when the estimate says the requested --reps do not fit, fewer are taken (at least 3) and
the mode is marked truncated. Medians are reported.

FLOP counts are the algorithmic minimum of the chunked forms (causal halves counted once), bytes the
unavoidable input/output traffic; the `formulas` block of the JSON spells them out. --dry-run runs
the whole harness without torch or a GPU (plan, worker protocol, JSON, table).
"""
import argparse
import collections
import datetime
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import types

SCHEMA = "statex-baselines/1"
MIB = 1 << 20

# ---------------------------------------------------------------------------------------------------
# Shapes. GLA: B T H K V. SSD: B T H P N G (chunk 256). Conv: B T C (channels) W (width).
# ---------------------------------------------------------------------------------------------------
GLA_SHAPES = [
    dict(B=8, T=2048, H=4, K=256, V=512),  # GLA-1.3B layer
    dict(B=8, T=2048, H=1, K=1024, V=2048),  # expanded state, one head
    dict(B=1, T=65536, H=4, K=256, V=512),
    dict(B=1, T=65536, H=1, K=1024, V=2048),
    dict(B=8, T=2048, H=16, K=128, V=128),
]
SSD_SHAPES = [
    dict(B=8, T=2048, H=64, P=64, N=128, G=1),  # mamba2-1.3b layer
    dict(B=8, T=2048, H=64, P=64, N=512, G=1),  # expanded state (N x4)
    dict(B=1, T=65536, H=64, P=64, N=128, G=1),
    dict(B=1, T=65536, H=64, P=64, N=512, G=1),
]
CONV_SHAPES = [
    dict(B=8, T=2048, C=4352, W=4),  # mamba2-1.3b conv_dim = 4096 + 2*128
    dict(B=8, T=2048, C=5120, W=4),  # expanded: 4096 + 2*512
]
GEMM_N = 8192
COPY_BYTES = 1 << 30

# --quick: the same cases at small sizes, to check a host end to end in about a minute.
QUICK = dict(
    gla=[dict(B=2, T=512, H=2, K=64, V=128)],
    ssd=[dict(B=2, T=512, H=4, P=64, N=64, G=1)],
    conv=[dict(B=2, T=512, C=256, W=4)],
    gemm_n=1024,
    copy_bytes=64 * MIB,
)

# Correctness spot checks against float64 token-by-token references, on small T (not a multiple of
# the chunk) but with the head sizes of a timed case, so they reuse its compiled kernels.
GLA_CHECK = dict(B=1, T=200, H=16, K=128, V=128)
SSD_CHECK = dict(B=1, T=520, H=64, P=64, N=128, G=1)  # three chunks of 256, the last one partial
# The project's bf16 policy (relative RMS error per tensor) marks "ok"; a wrong convention (gate sign,
# scale, softplus, group mapping) shows as an O(1) error, hence "mismatch" only above 0.1.
CHECK_TOLERANCE = 1e-2
CHECK_MISMATCH = 1e-1

GLA_CHUNK = 64  # fla chunk_gla: C = 64 for T >= 64
SSD_CHUNK = 256
# Backward FLOPs / forward FLOPs, counted from the chunked backward passes with their recomputation of
# the states (GLA: dq, dk, dv, dg; SSD: about 2.6-2.7, the lower end is used).
GLA_BWD_FACTOR = 2.3
SSD_BWD_FACTOR = 2.6
CONV_BWD_FACTOR = 2.0  # dx and dw, each as many multiply-adds as the forward

FORMULAS = {
    "flop": "one multiply-add = 2 FLOPs; fwdbwd = fwd * (1 + bwd_factor); bwd = fwd * bwd_factor",
    "gla_fwd_flops": "B*H*T*(4*K*V + (C+1)*(K+V)), C = %d" % GLA_CHUNK,
    "gla_bwd_factor": GLA_BWD_FACTOR,
    "gla_fwd_bytes_min": "B*T*H*(s*(2K+2V) + s_g*K): read q,k,v,g, write o; s = 2 (bf16), s_g = bytes of g",
    "gla_bwd_bytes_min": "B*T*H*(s*(2K+2V) + s_g*K + s*(2K+V) + s_g*K): read q,k,v,do,g, write dq,dk,dv,dg",
    "ssd_fwd_flops": "B*T*(4*H*P*N + G*Q*N + H*Q*P), Q = %d" % SSD_CHUNK,
    "ssd_bwd_factor": SSD_BWD_FACTOR,
    "ssd_fwd_bytes_min": "B*T*(s*(2*H*P + 2*G*N) + s_dt*H): read x,B,C,dt, write y; s = 2, s_dt = 4 (fp32 dt)",
    "ssd_bwd_bytes_min": "B*T*(s*(3*H*P + 4*G*N) + s_dt*2*H): read x,dout,B,C,dt, write dx,dB,dC,ddt (no z, "
                         "so y is not read back)",
    "conv_fwd_flops": "2*B*T*C*W",
    "conv_bwd_factor": CONV_BWD_FACTOR,
    "conv_fwd_bytes_min": "s*2*B*T*C: read x, write y (weights negligible)",
    "conv_bwd_bytes_min": "s*3*B*T*C: read x, dy, write dx",
    "gemm_flops": "2*n^3",
    "gemm_bytes_min": "3*n^2*s",
    "copy_bytes": "2*size (read + write)",
    "tflops": "flops / median time; gbps_min = minimum bytes / median time",
}


def gla_flops_fwd(B, T, H, K, V):
    return B * H * T * (4 * K * V + (GLA_CHUNK + 1) * (K + V))


def gla_bytes(B, T, H, K, V, s=2, s_g=2):
    fwd = B * T * H * (s * (2 * K + 2 * V) + s_g * K)
    bwd = B * T * H * (s * (2 * K + 2 * V) + s_g * K + s * (2 * K + V) + s_g * K)
    return fwd, bwd


def ssd_flops_fwd(B, T, H, P, N, G):
    return B * T * (4 * H * P * N + G * SSD_CHUNK * N + H * SSD_CHUNK * P)


def ssd_bytes(B, T, H, P, N, G, s=2, s_dt=4):
    fwd = B * T * (s * (2 * H * P + 2 * G * N) + s_dt * H)
    bwd = B * T * (s * (3 * H * P + 4 * G * N) + s_dt * 2 * H)
    return fwd, bwd


def shape_name(prefix, shape):
    return prefix + "_" + "_".join(f"{k}{v}" for k, v in shape.items())


def plan(suites, quick, gla_g_dtype):
    """The ordered case list: name, suite, kind, parameters and the formula values."""
    gla_shapes = QUICK["gla"] if quick else GLA_SHAPES
    ssd_shapes = QUICK["ssd"] if quick else SSD_SHAPES
    conv_shapes = QUICK["conv"] if quick else CONV_SHAPES
    n = QUICK["gemm_n"] if quick else GEMM_N
    copy_bytes = QUICK["copy_bytes"] if quick else COPY_BYTES
    s_g = 4 if gla_g_dtype == "fp32" else 2
    cases = []

    def add(suite, kind, name, params, flops_fwd=None, bwd_factor=None, bytes_fwd=None, bytes_bwd=None):
        case = dict(name=name, suite=suite, kind=kind, params=params)
        if flops_fwd is not None:
            case["flops_fwd"] = flops_fwd
            if bwd_factor is not None:
                case["bwd_factor"] = bwd_factor
                case["flops_bwd"] = round(flops_fwd * bwd_factor)
                case["flops_fwdbwd"] = round(flops_fwd * (1 + bwd_factor))
        if bytes_fwd is not None:
            case["bytes_min_fwd"] = bytes_fwd
        if bytes_bwd is not None:
            case["bytes_min_bwd"] = bytes_bwd
            case["bytes_min_fwdbwd"] = bytes_fwd + bytes_bwd
        cases.append(case)

    if "gemm" in suites:
        for dtype in ("bf16", "fp32", "tf32"):
            s = 2 if dtype == "bf16" else 4
            add("gemm", "gemm", f"gemm_{dtype}_n{n}", dict(n=n, dtype=dtype), 2 * n ** 3, None, 3 * n * n * s)
        add("gemm", "copy", f"copy_d2d_{copy_bytes // MIB}MiB", dict(bytes=copy_bytes), None, None, 2 * copy_bytes)
    if "conv" in suites:
        for shape in conv_shapes:
            B, T, C, W = shape["B"], shape["T"], shape["C"], shape["W"]
            for silu in (False, True):
                prefix = "conv1d_silu" if silu else "conv1d"
                add("conv", "conv", shape_name(prefix, shape), dict(shape, silu=silu, dtype="bf16"),
                    2 * B * T * C * W, CONV_BWD_FACTOR, 2 * 2 * B * T * C, 2 * 3 * B * T * C)
    if "gla" in suites:
        check = dict(QUICK["gla"][0], T=200) if quick else GLA_CHECK
        add("gla", "gla_check", shape_name("gla_check", check), dict(check, g_dtype=gla_g_dtype))
        for shape in gla_shapes:
            fwd_b, bwd_b = gla_bytes(**shape, s_g=s_g)
            add("gla", "gla", shape_name("gla", shape), dict(shape, g_dtype=gla_g_dtype),
                gla_flops_fwd(**shape), GLA_BWD_FACTOR, fwd_b, bwd_b)
    if "ssd" in suites:
        check = dict(QUICK["ssd"][0], T=520) if quick else SSD_CHECK
        add("ssd", "ssd_check", shape_name("ssd_check", check), dict(check, chunk=SSD_CHUNK))
        for shape in ssd_shapes:
            fwd_b, bwd_b = ssd_bytes(**shape)
            add("ssd", "ssd", shape_name("ssd", shape), dict(shape, chunk=SSD_CHUNK),
                ssd_flops_fwd(**shape), SSD_BWD_FACTOR, fwd_b, bwd_b)
    return cases


# ---------------------------------------------------------------------------------------------------
# Worker side: everything that touches torch. Imported lazily so --dry-run and the parent never do.
# ---------------------------------------------------------------------------------------------------
class Worker:
    def __init__(self, args):
        self.args = args
        self.dry = args.dry_run
        self.torch = None
        self.flush_buf = None
        self.chunk_gla = None
        self.mamba_chunk_scan_combined = None

    # -- environment ---------------------------------------------------------------------------------
    def start(self):
        if self.dry:
            return {"dry_run": True, "python": sys.version.split()[0]}
        import torch
        self.torch = torch
        env = {"python": sys.version.split()[0], "torch": torch.__version__, "torch_cuda": torch.version.cuda}
        for mod in ("triton", "numpy", "einops", "packaging"):
            try:
                env[mod] = __import__(mod).__version__
            except Exception as e:  # recorded, not fatal: only the suites that need it fail
                env[mod] = f"unavailable: {e}"
        env["device"] = self.args.device
        env["library_env"] = {k: v for k, v in os.environ.items() if k.startswith(("FLA_", "TRITON_", "MAMBA_"))}
        if self.args.device == "cuda":
            props = torch.cuda.get_device_properties(0)
            env.update(gpu_name=props.name, gpu_memory_gib=round(props.total_memory / 2 ** 30, 2),
                       sm_count=props.multi_processor_count, capability=f"{props.major}.{props.minor}",
                       cudnn=torch.backends.cudnn.version())
            env["nvidia_smi"] = nvidia_smi()
            # 256 MiB written before each timed call evicts the 50 MB L2 of an H100 / H200.
            if not self.args.no_flush:
                self.flush_buf = torch.empty(256 * MIB, dtype=torch.int8, device="cuda")
        torch.backends.cudnn.benchmark = True  # let cuDNN pick its best conv algorithm (a fair baseline)
        return env

    def run(self, case):
        if self.dry:
            return {"status": "dry-run"}
        runner = getattr(self, "case_" + case["kind"])
        return runner(case["params"])

    def cleanup(self):
        if self.torch is not None and self.args.device == "cuda":
            import gc
            gc.collect()
            self.torch.cuda.synchronize()
            self.torch.cuda.empty_cache()

    # -- timing --------------------------------------------------------------------------------------
    def sync(self):
        if self.args.device == "cuda":
            self.torch.cuda.synchronize()

    def measure(self, fn, budget):
        """Median time of fn() in ms and the peak memory while it runs. budget: seconds for the warm-up
        and the timed calls; the first call (compilation, autotuning) is outside it."""
        torch, args = self.torch, self.args
        cuda = args.device == "cuda"
        if cuda:
            self.sync()
            before = torch.cuda.memory_allocated()
            torch.cuda.reset_peak_memory_stats()
        t0 = time.perf_counter()
        fn()
        self.sync()
        first_s = time.perf_counter() - t0
        began = time.perf_counter()
        deadline = began + budget
        # warm-up: at least `warmup` calls, synchronised, which also estimates the time per call
        warm, t0 = 0, time.perf_counter()
        while warm < args.warmup and time.perf_counter() < deadline:
            fn()
            self.sync()
            warm += 1
        per_call = (time.perf_counter() - t0) / warm if warm else first_s
        left = deadline - time.perf_counter()
        reps = args.reps if per_call * args.reps <= left else max(3, int(left / max(per_call, 1e-9)))
        reps = min(reps, args.reps)
        times = []
        if cuda:
            # events for all calls queued back to back, one synchronisation at the end: the GPU never
            # waits for the host between calls, so launch overhead hides as it does in training
            events = [(torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True))
                      for _ in range(reps)]
            for start, end in events:
                if self.flush_buf is not None:
                    self.flush_buf.zero_()
                start.record()
                fn()
                end.record()
            self.sync()
            times = [start.elapsed_time(end) for start, end in events]
        else:
            for _ in range(reps):
                t0 = time.perf_counter()
                fn()
                times.append((time.perf_counter() - t0) * 1e3)
        times.sort()
        out = {
            "ms": median(times), "ms_min": times[0], "ms_p20": quantile(times, 0.2),
            "ms_p80": quantile(times, 0.8), "reps": reps, "warmup": warm, "first_call_s": round(first_s, 3),
            "truncated": reps < args.reps, "spent_s": round(time.perf_counter() - began, 3),
        }
        if cuda:
            peak = torch.cuda.max_memory_allocated()
            out["peak_mib"] = round((peak - self.flush_bytes()) / MIB, 1)
            out["extra_mib"] = round((peak - before) / MIB, 1)
        return out

    def flush_bytes(self):
        return self.flush_buf.numel() if self.flush_buf is not None else 0

    def modes(self, fwd, fwdbwd, inputs_bytes):
        """Times both modes within one --max-seconds budget; an error in one mode is recorded and the
        other still runs. Returns the case record fields."""
        left = self.args.max_seconds
        rec = {"inputs_mib": round(inputs_bytes / MIB, 1)}
        for mode, fn in (("fwd", fwd), ("fwdbwd", fwdbwd)):
            if fn is None:
                continue
            failed = False
            try:
                # fwd takes at most half of what is left and each mode at least a third of the budget,
                # so a slow forward cannot starve forward+backward
                share = left if mode == "fwdbwd" or fwdbwd is None else left / 2
                rec[mode] = self.measure(fn, max(share, self.args.max_seconds / 3))
                left -= rec[mode]["spent_s"]
            except Exception as e:
                rec[mode] = {"error": describe(e)}
                if is_fatal_cuda_error(e):
                    rec["fatal"] = True
                    break
                failed = True
            if failed:  # outside the except block, so the traceback no longer pins the failed call's tensors
                self.cleanup()
        return rec

    def grad_fn(self, forward, inputs):
        torch = self.torch

        def run():
            out = forward()
            out = out[0] if isinstance(out, tuple) else out
            if not hasattr(run, "cotangent"):
                gen = torch.Generator(device=out.device).manual_seed(7)
                run.cotangent = torch.randn(out.shape, generator=gen, device=out.device, dtype=out.dtype)
            return torch.autograd.grad(out, inputs, run.cotangent)

        return run

    def randn(self, *shape, dtype=None, seed=0, requires_grad=False, scale=1.0):
        torch = self.torch
        gen = torch.Generator(device=self.args.device).manual_seed(seed)
        x = torch.randn(shape, generator=gen, device=self.args.device, dtype=torch.float32) * scale
        return x.to(dtype or torch.bfloat16).requires_grad_(requires_grad)

    # -- the device's ceilings -------------------------------------------------------------------------
    def case_gemm(self, p):
        torch = self.torch
        n, dtype = p["n"], p["dtype"]
        tdtype = torch.bfloat16 if dtype == "bf16" else torch.float32
        a, b = self.randn(n, n, dtype=tdtype, seed=1), self.randn(n, n, dtype=tdtype, seed=2)
        c = torch.empty(n, n, dtype=tdtype, device=self.args.device)
        saved = torch.backends.cuda.matmul.allow_tf32
        torch.backends.cuda.matmul.allow_tf32 = dtype == "tf32"
        try:
            return self.modes(lambda: torch.matmul(a, b, out=c), None, 3 * a.numel() * a.element_size())
        finally:
            torch.backends.cuda.matmul.allow_tf32 = saved

    def case_copy(self, p):
        torch = self.torch
        src = torch.empty(p["bytes"], dtype=torch.uint8, device=self.args.device).fill_(1)
        dst = torch.empty_like(src)
        return self.modes(lambda: dst.copy_(src), None, 2 * p["bytes"])

    # -- causal depthwise conv1d (PyTorch) -------------------------------------------------------------
    def case_conv(self, p):
        torch = self.torch
        import torch.nn.functional as F
        B, T, C, W = p["B"], p["T"], p["C"], p["W"]
        # [B, T, C] time-major like the engine and Mamba2's xBC; conv1d runs on the transposed view,
        # exactly what Mamba2 does when causal_conv1d is missing
        x = self.randn(B, T, C, seed=3, requires_grad=True)
        w = self.randn(C, 1, W, seed=4, requires_grad=True, scale=0.5)
        bias = self.randn(C, seed=5, requires_grad=True, scale=0.5)

        def forward():
            y = F.conv1d(x.transpose(1, 2), w, bias, padding=W - 1, groups=C)[..., :T]
            y = F.silu(y) if p["silu"] else y
            return y.transpose(1, 2)

        rec = self.modes(forward, self.grad_fn(forward, (x, w, bias)), tensor_bytes(x, w, bias))
        rec["notes"] = ("plain PyTorch F.conv1d (cuDNN, benchmark mode) on the [B,C,T] view of a [B,T,C] "
                        "bf16 tensor, padding W-1, sliced to T; the compiled causal_conv1d extension is "
                        "not installed on this host, so this is what Mamba2 falls back to")
        return rec

    # -- fla chunk_gla ---------------------------------------------------------------------------------
    def gla(self):
        if self.chunk_gla is None:
            root = os.path.join(self.args.oracles, "fla")
            require(os.path.join(root, "ops", "gla", "chunk.py"))
            install_stub("fla", root, origin(root).get("version", "0.5.2"))
            install_stub("fla.ops", os.path.join(root, "ops"))
            from fla.ops.gla import chunk_gla
            self.chunk_gla = chunk_gla
        return self.chunk_gla

    def gla_inputs(self, p, requires_grad=True):
        torch = self.torch
        import torch.nn.functional as F
        B, T, H, K, V = p["B"], p["T"], p["H"], p["K"], p["V"]
        q = self.randn(B, T, H, K, seed=11, requires_grad=requires_grad)
        k = self.randn(B, T, H, K, seed=12, requires_grad=requires_grad)
        v = self.randn(B, T, H, V, seed=13, requires_grad=requires_grad)
        # the GLA layer's gate: logsigmoid(x) / 16 (gate_logit_normalizer), log-space, per key channel
        g_dtype = torch.float32 if p["g_dtype"] == "fp32" else torch.bfloat16
        g = (F.logsigmoid(self.randn(B, T, H, K, seed=14, dtype=torch.float32)) / 16).to(g_dtype)
        return q, k, v, g.requires_grad_(requires_grad)

    def case_gla(self, p):
        chunk_gla = self.gla()
        q, k, v, g = self.gla_inputs(p)
        scale = p["K"] ** -0.5

        def forward():
            return chunk_gla(q, k, v, g, scale=scale, output_final_state=False)[0]

        rec = self.modes(forward, self.grad_fn(forward, (q, k, v, g)), tensor_bytes(q, k, v, g))
        rec["notes"] = ("fla chunk_gla: q,k,v bf16 randn [B,T,H,*], g = logsigmoid(randn)/16 in %s, "
                        "scale K^-0.5, no initial state, output_final_state=False; fwdbwd = forward + "
                        "torch.autograd.grad(o, (q,k,v,g), randn)" % p["g_dtype"])
        return rec

    def case_gla_check(self, p):
        chunk_gla = self.gla()
        scale = p["K"] ** -0.5
        return self.check(self.gla_inputs(p),
                          lambda q, k, v, g: chunk_gla(q, k, v, g, scale=scale, output_final_state=False)[0],
                          lambda q, k, v, g: gla_reference(self.torch, q, k, v, g, scale),
                          ["o", "dq", "dk", "dv", "dg"])

    # -- mamba_ssm mamba_chunk_scan_combined -------------------------------------------------------------
    def ssd(self):
        if self.mamba_chunk_scan_combined is None:
            root = os.path.join(self.args.oracles, "mamba_ssm")
            require(os.path.join(root, "ops", "triton", "ssd_combined.py"))
            install_stub("mamba_ssm", root, origin(root).get("version", "2.3.2.post1"))
            from mamba_ssm.ops.triton.ssd_combined import mamba_chunk_scan_combined
            self.mamba_chunk_scan_combined = mamba_chunk_scan_combined
        return self.mamba_chunk_scan_combined

    def ssd_inputs(self, p):
        torch = self.torch
        B, T, H, P, N, G = p["B"], p["T"], p["H"], p["P"], p["N"], p["G"]
        f32 = torch.float32
        x = self.randn(B, T, H, P, seed=21, requires_grad=True)
        dt = self.randn(B, T, H, seed=22, dtype=f32, scale=0.5, requires_grad=True)  # raw, before bias
        # Mamba2's initialisation: softplus(dt_bias) log-uniform in [1e-3, 1e-1], A = -[1, 16]
        gen = torch.Generator(device=self.args.device).manual_seed(23)
        u = torch.rand(H, generator=gen, device=self.args.device, dtype=f32)
        dt0 = torch.exp(u * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3))
        dt_bias = (dt0 + torch.log(-torch.expm1(-dt0))).requires_grad_()  # inverse softplus
        u = torch.rand(H, generator=gen, device=self.args.device, dtype=f32)
        A = (-torch.exp(u * math.log(16.0))).requires_grad_()
        Bm = self.randn(B, T, G, N, seed=24, requires_grad=True)
        Cm = self.randn(B, T, G, N, seed=25, requires_grad=True)
        D = torch.ones(H, device=self.args.device, dtype=f32).requires_grad_()
        return x, dt, A, Bm, Cm, D, dt_bias

    def case_ssd(self, p):
        scan = self.ssd()
        x, dt, A, Bm, Cm, D, dt_bias = self.ssd_inputs(p)

        def forward():
            return scan(x, dt, A, Bm, Cm, p["chunk"], D=D, dt_bias=dt_bias, dt_softplus=True)

        inputs = (x, dt, A, Bm, Cm, D, dt_bias)
        rec = self.modes(forward, self.grad_fn(forward, inputs), tensor_bytes(*inputs))
        rec["notes"] = ("mamba_ssm mamba_chunk_scan_combined: x,B,C bf16 randn, dt fp32 raw (0.5*randn) "
                        "with fp32 dt_bias and dt_softplus=True, A = -[1,16] fp32, D = 1 fp32 per head, "
                        "no z, no initial state, chunk %d; fwdbwd = forward + torch.autograd.grad over "
                        "x, dt, A, B, C, D, dt_bias" % p["chunk"])
        return rec

    def case_ssd_check(self, p):
        scan = self.ssd()
        return self.check(self.ssd_inputs(p),
                          lambda x, dt, A, Bm, Cm, D, dt_bias: scan(x, dt, A, Bm, Cm, p["chunk"], D=D,
                                                                    dt_bias=dt_bias, dt_softplus=True),
                          lambda *leaves: ssd_reference(self.torch, *leaves),
                          ["y", "dx", "ddt", "dA", "dB", "dC", "dD", "ddt_bias"])

    def check(self, inputs, library, reference, names):
        """The library's output and input gradients against the float64 reference run on the same
        (already rounded) inputs, under one random cotangent."""
        torch = self.torch
        out = library(*inputs)
        cotangent = self.randn(*out.shape, seed=99)
        grads = torch.autograd.grad(out, inputs, cotangent)
        leaves = [t.detach().double().requires_grad_() for t in inputs]
        ref = reference(*leaves)
        ref_grads = torch.autograd.grad(ref, leaves, cotangent.double())
        return compare(torch, names, [out, *grads], [ref, *ref_grads])


# float64 token-by-token references (the semantics the timed calls are checked against) ---------------
def gla_reference(torch, q, k, v, g, scale):
    """S_t = diag(exp(g_t)) S_{t-1} + k_t v_t^T;  o_t = scale * q_t^T S_t.  [B,T,H,K] / [B,T,H,V]."""
    B, T, H, K = q.shape
    S = q.new_zeros(B, H, K, v.shape[-1])
    out = []
    for t in range(T):
        S = S * torch.exp(g[:, t])[..., None] + k[:, t, :, :, None] * v[:, t, :, None, :]
        out.append(torch.einsum("bhk,bhkv->bhv", q[:, t] * scale, S))
    return torch.stack(out, dim=1)


def ssd_reference(torch, x, dt, A, Bm, Cm, D, dt_bias):
    """d_t = softplus(dt_t + dt_bias); h_t = exp(d_t A) h_{t-1} + d_t x_t B_t^T; y_t = h_t C_t + D x_t.
    x [B,T,H,P], dt [B,T,H], B/C [B,T,G,N]; head h reads group h // (H/G)."""
    Bsz, T, H, P = x.shape
    G = Bm.shape[2]
    Bh = Bm.repeat_interleave(H // G, dim=2)
    Ch = Cm.repeat_interleave(H // G, dim=2)
    d = torch.nn.functional.softplus(dt + dt_bias)
    h = x.new_zeros(Bsz, H, P, Bm.shape[-1])
    ys = []
    for t in range(T):
        h = h * torch.exp(d[:, t] * A)[..., None, None] + (d[:, t, :, None] * x[:, t])[..., None] * Bh[:, t, :, None, :]
        ys.append(torch.einsum("bhpn,bhn->bhp", h, Ch[:, t]) + D[:, None] * x[:, t])
    return torch.stack(ys, dim=1)


def compare(torch, names, outs, refs):
    """Relative RMS error per tensor (||out - ref|| / ||ref||) and the worst element."""
    errors, worst = {}, {}
    for name, out, ref in zip(names, outs, refs):
        out, ref = out.detach().double(), ref.detach().double()
        diff = (out - ref).reshape(-1)
        rel = (diff.norm() / ref.norm().clamp_min(1e-300)).item()
        if not math.isfinite(rel):
            rel = float("inf")
        i = int(torch.nan_to_num(diff.abs(), nan=float("inf")).argmax().item())
        errors[name] = rel
        worst[name] = {"index": i, "out": out.reshape(-1)[i].item(), "ref": ref.reshape(-1)[i].item()}
    top = max(errors.values())
    status = "ok" if top <= CHECK_TOLERANCE else "above bf16 policy" if top <= CHECK_MISMATCH else "mismatch"
    return {"status": status, "rel_rms": errors, "worst": worst,
            "tolerance": CHECK_TOLERANCE, "mismatch_above": CHECK_MISMATCH,
            "notes": "library output vs a float64 token-by-token recurrence on the same (bf16-rounded) "
                     "inputs, forward and every input gradient under a random cotangent"}


# ---------------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------------
def median(xs):
    return quantile(xs, 0.5)


def quantile(xs, q):
    """Linear-interpolated quantile of a sorted list."""
    if not xs:
        return None
    pos = q * (len(xs) - 1)
    lo = int(math.floor(pos))
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def tensor_bytes(*ts):
    return sum(t.numel() * t.element_size() for t in ts)


def require(path):
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path} is missing: run benchmarks/python/fetch_oracles.sh and pass "
                                f"--oracles DIR (the folder that holds fla/ and mamba_ssm/)")


def install_stub(name, path, version=None):
    """Registers an empty package module whose submodules load from `path`, so the real package's
    __init__ never runs. fla/utils/_decorators.py reads __version__ from its parent package."""
    if name in sys.modules:
        return
    mod = types.ModuleType(name)
    mod.__path__ = [path]
    if version is not None:
        mod.__version__ = version
    sys.modules[name] = mod
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, mod)


def origin(pkg_root):
    """The key=value ORIGIN file fetch_oracles.sh writes (repository, commit, date, version)."""
    path = os.path.join(pkg_root, "ORIGIN")
    if not os.path.isfile(path):
        return {}
    out = {}
    for line in open(path, encoding="utf-8"):
        key, sep, value = line.strip().partition("=")
        if sep:
            out[key] = value
    return out


def nvidia_smi():
    """Read-only query of clocks, power and temperature, for context (never sets anything)."""
    query = "name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,power.draw,power.limit,temperature.gpu"
    try:
        out = subprocess.run(["nvidia-smi", f"--query-gpu={query}", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=20)
        return out.stdout.strip() or out.stderr.strip()
    except Exception as e:
        return f"unavailable: {e}"


def describe(e):
    text = f"{type(e).__name__}: {e}".strip()
    return text if len(text) <= 2000 else text[:1000] + " ... " + text[-1000:]


FATAL_CUDA = ("illegal memory access", "unspecified launch failure", "device-side assert",
              "misaligned address", "an illegal instruction", "CUDA error: unknown error")


def is_fatal_cuda_error(e):
    """Errors after which the CUDA context is unusable: the worker must be replaced."""
    text = str(e)
    return any(s in text for s in FATAL_CUDA)


# Triton's report (TRITON_PRINT_AUTOTUNING=1); 3.4+ puts "with key as ..." and newlines in it, older
# versions print one line with "; best config selected"
AUTOTUNE_RE = re.compile(r"Triton autotuning for function (\w+)(?:,\s+with key as (.*?))?,?\s+finished after "
                         r"([\d.]+)s[,;]\s+(?:key info: .*?, )?best config selected: (.*?);", re.S)


class Capture:
    """Passes writes through to a stream and keeps a copy, to read Triton's autotuning reports
    (TRITON_PRINT_AUTOTUNING=1: function, key, seconds spent, config chosen) into the case record."""

    def __init__(self, stream):
        self.stream = stream
        self.text = []

    def write(self, s):
        self.text.append(s)
        return self.stream.write(s)

    def flush(self):
        self.stream.flush()

    def __getattr__(self, name):  # encoding, isatty, fileno, ... of the real stream
        return getattr(self.stream, name)

    def take(self):
        text, self.text = "".join(self.text), []
        return [dict(function=m[0], key=m[1], seconds=float(m[2]), config=m[3].strip())
                for m in AUTOTUNE_RE.findall(text)]


# ---------------------------------------------------------------------------------------------------
# Worker process: runs cases in order, one JSON line per event to the protocol file.
# ---------------------------------------------------------------------------------------------------
def worker_main(args, cases):
    proto = open(args._worker, "a", encoding="utf-8")

    def emit(**event):
        proto.write(json.dumps(event, default=str) + "\n")
        proto.flush()
        os.fsync(proto.fileno())

    capture = Capture(sys.stdout)
    sys.stdout = capture
    worker = Worker(args)
    try:
        emit(event="env", env=worker.start())
    except Exception as e:
        emit(event="env", env={"error": describe(e), "traceback": traceback.format_exc()[-3000:]})
        raise
    faults = dict(f.split("=", 1) for f in args._fault) if args._fault else {}
    for case in cases:
        emit(event="start", case=case["name"])
        print(f"-- {case['name']}", flush=True)
        capture.take()
        t0 = time.perf_counter()
        fault = faults.get(case["name"])
        try:
            if fault == "crash":
                os.kill(os.getpid(), signal.SIGSEGV)
            elif fault == "hang":
                time.sleep(10 ** 6)
            elif fault == "raise":
                raise RuntimeError("injected fault")
            rec = worker.run(case)
        except Exception as e:
            rec = {"status": "error", "error": describe(e), "traceback": traceback.format_exc()[-3000:],
                   "fatal": is_fatal_cuda_error(e)}
        rec["wall_s"] = round(time.perf_counter() - t0, 2)
        autotune = capture.take()
        if autotune:
            rec["autotune"] = autotune[:100]
        fatal = rec.pop("fatal", False)
        emit(event="result", case=case["name"], record=rec)
        if fatal:
            print("fatal CUDA error: this worker stops, a fresh one continues", flush=True)
            sys.exit(3)
        try:
            worker.cleanup()
        except Exception as e:
            emit(event="note", case=case["name"], text="cleanup failed: " + describe(e))
            sys.exit(3)
    proto.close()


# ---------------------------------------------------------------------------------------------------
# Parent: plans, runs workers, merges results, writes the JSON after every case, prints the table.
# ---------------------------------------------------------------------------------------------------
class Run:
    def __init__(self, args, cases):
        self.args = args
        self.cases = cases
        self.records = {c["name"]: dict(c, status="pending") for c in cases}
        self.env = {}
        self.started = time.time()
        self.doc = {
            "schema": SCHEMA,
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "command": [os.path.basename(sys.executable)] + sys.argv,
            "config": {
                "suites": args.suites, "quick": args.quick, "dry_run": args.dry_run, "device": args.device,
                "reps": args.reps, "warmup": args.warmup, "max_seconds": args.max_seconds,
                "case_timeout": args.case_timeout, "total_seconds": args.total_seconds, "isolate": args.isolate,
                "l2_flush_mib": 0 if args.no_flush else 256, "gla_g_dtype": args.gla_g_dtype,
                "timing": "CUDA events around each call, calls queued back to back, median; L2 flushed "
                          "before each call outside the timed region; first call (compile + autotune) "
                          "excluded and reported as first_call_s",
                "memory": "peak_mib = torch.cuda.max_memory_allocated during the mode (reset before it), "
                          "harness flush buffer excluded: inputs + outputs + saved tensors + workspace; "
                          "extra_mib = peak minus what was allocated before the mode",
            },
            "formulas": FORMULAS,
            "oracles": {p: origin(os.path.join(args.oracles, p)) for p in ("fla", "mamba_ssm")},
        }

    def write(self):
        self.doc["env"] = self.env
        self.doc["elapsed_s"] = round(time.time() - self.started, 1)
        self.doc["cases"] = [self.records[c["name"]] for c in self.cases]
        tmp = self.args.out + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.doc, f, indent=1, default=str)
            f.write("\n")
        os.replace(tmp, self.args.out)  # a reader never sees half a file

    def finish(self, name, rec):
        record = self.records[name]
        record.update(rec)
        derive(record)
        self.write()
        print(f"   {name}: {one_line(record)}", flush=True)

    def budget_left(self):
        if not self.args.total_seconds:
            return float("inf")
        return self.args.total_seconds - (time.time() - self.started)

    def execute(self):
        self.write()
        remaining = [c for c in self.cases]
        while remaining:
            if self.budget_left() <= 0:
                for c in remaining:
                    self.finish(c["name"], {"status": "skipped", "error": "--total-seconds budget spent"})
                break
            done = self.one_worker(remaining[:1] if self.args.isolate == "case" else remaining)
            remaining = [c for c in remaining if c["name"] not in done]
        self.write()

    def one_worker(self, cases):
        """Runs one worker over `cases` until it finishes, dies or overruns; returns the names settled."""
        args = self.args
        fd, proto = tempfile.mkstemp(prefix="baselines-", suffix=".jsonl")
        os.close(fd)
        cmd = [sys.executable, "-u", os.path.abspath(__file__)] + args.argv + [
            "--_worker", proto, "--_cases", ",".join(c["name"] for c in cases)]
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env.setdefault("TRITON_PRINT_AUTOTUNING", "1")  # the configs fla / mamba_ssm pick, for our own tiling
        if args.isolate == "case":
            # Autotuning keys hold the tile parameters, not B or T, so a result tuned on one shape would
            # be reused for another. A training run sees one shape; so does each worker, and autotuning
            # results are kept off disk (compiled kernels still are cached there and shared).
            env.setdefault("FLA_CACHE_RESULTS", "0")
            env.setdefault("TRITON_CACHE_AUTOTUNING", "0")
        if args.triton_cache:
            env["TRITON_CACHE_DIR"] = os.path.abspath(args.triton_cache)
        # its own session, so a kill reaches the compiler processes it may have started, and only them
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                start_new_session=True)
        tail = collections.deque(maxlen=40)
        reader = threading.Thread(target=echo, args=(proc.stdout, tail), daemon=True)
        reader.start()
        settled, current, since, offset, buf, killed = set(), None, time.time(), 0, b"", None
        limit = args.case_timeout
        while True:
            exited = proc.poll() is not None  # checked before reading: all it wrote is read below
            with open(proto, "rb") as f:
                f.seek(offset)
                data = f.read()
            offset += len(data)
            *lines, buf = (buf + data).split(b"\n")
            for line in lines:
                if not line.strip():
                    continue
                ev = json.loads(line)
                if ev["event"] == "env":
                    self.env = ev["env"]
                elif ev["event"] == "start":
                    current, since = ev["case"], time.time()
                    # the case's own limit, fixed when it starts: what is left of the total budget then
                    # (budget_left() shrinks while the case runs, so comparing against it live would
                    # count the case's time twice and kill it at about half the remaining budget)
                    limit = min(args.case_timeout, max(self.budget_left(), 0) + 5)
                    self.records[current]["status"] = "running"
                elif ev["event"] == "result":
                    self.finish(ev["case"], ev["record"])
                    settled.add(ev["case"])
                    current = None
            if exited:
                break
            if current is not None and killed is None:
                if time.time() - since > limit:
                    killed = f"killed after {time.time() - since:.0f} s (--case-timeout {args.case_timeout:g}, " \
                             f"--total-seconds {args.total_seconds:g})"
                    os.killpg(proc.pid, signal.SIGKILL)
            time.sleep(0.2)
        reader.join(timeout=5)
        rc = proc.wait()
        os.remove(proto)
        if current is not None and current not in settled:
            if killed:
                self.finish(current, {"status": "timeout", "error": killed, "log_tail": list(tail)[-15:]})
            else:
                self.finish(current, {"status": "crashed", "log_tail": list(tail)[-15:],
                                      "error": f"worker died (exit {rc}{signal_name(rc)}) in this case"})
            settled.add(current)
        elif not settled or rc == 0:
            # died before its first case (import error, no GPU: a new worker would too), or exited
            # cleanly without settling everything: either way these cases get no other chance
            why = f"worker exited ({rc}{signal_name(rc)}) without running this case"
            for c in cases:
                if c["name"] not in settled:
                    self.finish(c["name"], {"status": "error", "error": why, "log_tail": list(tail)[-15:]})
                    settled.add(c["name"])
        return settled


def echo(stream, tail):
    for line in stream:
        tail.append(line.rstrip("\n"))
        sys.stdout.write("   | " + line)
        sys.stdout.flush()


def signal_name(rc):
    if rc is not None and rc < 0:
        try:
            return ", " + signal.Signals(-rc).name
        except ValueError:
            return ""
    return ""


def derive(rec):
    """Top-level fields the summary reads: fwd_ms, fwdbwd_ms, bwd_ms, TFLOP/s, GB/s, peak_mib, error."""
    fwd, fwdbwd = rec.get("fwd") or {}, rec.get("fwdbwd") or {}
    if fwd.get("ms"):
        rec["fwd_ms"] = fwd["ms"]
        if rec.get("flops_fwd"):
            rec["tflops_fwd"] = rec["flops_fwd"] / fwd["ms"] / 1e9
        if rec.get("bytes_min_fwd"):
            key = "gbps" if rec["kind"] == "copy" else "gbps_min_fwd"
            rec[key] = rec["bytes_min_fwd"] / fwd["ms"] / 1e6
    if fwdbwd.get("ms"):
        rec["fwdbwd_ms"] = fwdbwd["ms"]
        if rec.get("flops_fwdbwd"):
            rec["tflops_fwdbwd"] = rec["flops_fwdbwd"] / fwdbwd["ms"] / 1e9
        if fwd.get("ms"):
            rec["bwd_ms"] = fwdbwd["ms"] - fwd["ms"]
            if rec.get("flops_bwd") and rec["bwd_ms"] > 0:
                rec["tflops_bwd"] = rec["flops_bwd"] / rec["bwd_ms"] / 1e9
    peaks = [m["peak_mib"] for m in (fwd, fwdbwd) if m.get("peak_mib") is not None]
    if peaks:
        rec["peak_mib"] = max(peaks)
    errors = [f"{mode}: {m['error']}" for mode, m in (("fwd", fwd), ("fwdbwd", fwdbwd)) if m.get("error")]
    if errors and not rec.get("error"):
        rec["error"] = "; ".join(errors)
    if rec.get("status") in ("ok", None, "pending", "running"):
        if errors:
            rec["status"] = "partial" if (fwd.get("ms") or fwdbwd.get("ms")) else "error"
        elif fwd.get("truncated") or fwdbwd.get("truncated"):
            rec["status"] = "ok (truncated)"
        elif fwd or fwdbwd:
            rec["status"] = "ok"


def one_line(rec):
    parts = [rec.get("status", "?")]
    for key, fmt in (("fwd_ms", "fwd {:.3f} ms"), ("tflops_fwd", "{:.1f} TFLOP/s"),
                     ("gbps", "{:.0f} GB/s"), ("fwdbwd_ms", "fwdbwd {:.3f} ms"), ("peak_mib", "peak {:.0f} MiB")):
        if rec.get(key) is not None:
            parts.append(fmt.format(rec[key]))
    if rec.get("rel_rms"):
        parts.append("max rel err %.2e" % max(rec["rel_rms"].values()))
    if rec.get("error"):
        parts.append(str(rec["error"])[:160])
    return ", ".join(parts)


def table(doc):
    env = doc.get("env") or {}
    lines = [
        "=" * 134,
        f"public baselines on {env.get('gpu_name', env.get('device', '?'))}: torch {env.get('torch', '?')}, "
        f"triton {env.get('triton', '?')}, fla {doc['oracles'].get('fla', {}).get('version', '-')}, "
        f"mamba_ssm {doc['oracles'].get('mamba_ssm', {}).get('version', '-')}; "
        f"elapsed {doc.get('elapsed_s', 0):.0f} s",
        f"{'case':<40} {'status':<15} {'GFLOP':>7} {'min MB':>7} {'fwd ms':>9} {'TFLOP/s':>8} {'GB/s':>7} "
        f"{'fwdbwd ms':>10} {'TFLOP/s':>8} {'bwd ms':>9} {'peak MiB':>9}",
    ]

    def num(v, fmt):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return format(v, fmt)
        return "-".rjust(int(fmt.split(".")[0]))

    for rec in doc["cases"]:
        gb = rec.get("gbps", rec.get("gbps_min_fwd"))
        lines.append(
            f"{rec['name']:<40} {str(rec.get('status', '?'))[:15]:<15} "
            f"{num(rec['flops_fwd'] / 1e9 if rec.get('flops_fwd') else None, '7.1f')} "
            f"{num(rec['bytes_min_fwd'] / 1e6 if rec.get('bytes_min_fwd') else None, '7.0f')} "
            f"{num(rec.get('fwd_ms'), '9.3f')} "
            f"{num(rec.get('tflops_fwd'), '8.1f')} {num(gb, '7.0f')} {num(rec.get('fwdbwd_ms'), '10.3f')} "
            f"{num(rec.get('tflops_fwdbwd'), '8.1f')} {num(rec.get('bwd_ms'), '9.3f')} "
            f"{num(rec.get('peak_mib'), '9.0f')}")
        if rec.get("rel_rms"):
            lines.append("    rel RMS vs float64: " + ", ".join(f"{k} {v:.2e}" for k, v in rec["rel_rms"].items()))
        if rec.get("error"):
            lines.append("    " + str(rec["error"])[:200])
    lines.append("GFLOP and min MB: forward, from the formulas in the JSON. GB/s: the copy rate for copy_*, "
                 "else minimum forward bytes / fwd time.")
    return "\n".join(lines)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--oracles", default=os.path.normpath(os.path.join(here, "..", "..", "oracles")),
                    help="folder holding fla/ and mamba_ssm/ (fetch_oracles.sh); default: oracles/ at the repo root")
    ap.add_argument("--out", required=True, help="JSON result file, rewritten after every case")
    ap.add_argument("--suite", default="all", help="gemm, gla, ssd, conv, comma-separated, or all (default)")
    ap.add_argument("--cases", default=None, help="regular expression: keep only the cases whose name matches")
    ap.add_argument("--reps", type=int, default=20, help="timed calls per mode (default 20)")
    ap.add_argument("--warmup", type=int, default=3, help="warm-up calls after the first one (default 3)")
    ap.add_argument("--max-seconds", type=float, default=30.0,
                    help="per-case budget for warm-up + timed calls, both modes (default 30); reps are cut to fit")
    ap.add_argument("--case-timeout", type=float, default=600.0,
                    help="hard limit per case, compilation and autotuning included; the worker is killed (default 600)")
    ap.add_argument("--total-seconds", type=float, default=0.0,
                    help="skip the remaining cases once this much time has passed (default 0: no limit)")
    ap.add_argument("--gla-g-dtype", choices=("bf16", "fp32"), default="bf16",
                    help="dtype of the GLA log-gate g (the fla GLA layer passes it in the model dtype: bf16)")
    ap.add_argument("--triton-cache", default=None,
                    help="TRITON_CACHE_DIR for the workers (compiled kernels and autotuning results persist there)")
    ap.add_argument("--isolate", choices=("case", "none"), default="case",
                    help="case (default): a fresh worker process per case, so each shape gets its own "
                         "autotuning; none: one worker for all cases (faster; autotuning results are then "
                         "shared between shapes with the same tile key)")
    ap.add_argument("--no-flush", action="store_true", help="do not flush the L2 cache before each timed call")
    ap.add_argument("--quick", action="store_true",
                    help="small shapes: an end-to-end check of a host in a minute or two")
    ap.add_argument("--device", choices=("cuda", "cpu"), default="cuda",
                    help="cpu only smoke-tests the harness on a machine without a GPU (wall-clock timing; "
                         "the Triton suites then fail and are recorded as errors)")
    ap.add_argument("--dry-run", action="store_true",
                    help="no torch, no GPU: plan, worker protocol, formulas, JSON and table only")
    ap.add_argument("--_worker", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--_cases", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--_fault", action="append", default=[], help=argparse.SUPPRESS)  # CASE=crash|hang|raise
    args = ap.parse_args(argv)
    args.argv = [a for a in argv]  # handed on to the workers
    known = ("gemm", "gla", "ssd", "conv")
    suites = known if args.suite == "all" else tuple(s.strip() for s in args.suite.split(",") if s.strip())
    bad = [s for s in suites if s not in known]
    if bad or not suites:
        ap.error(f"--suite: unknown {bad or args.suite!r}; expected any of {', '.join(known)} or all")
    args.suites = list(suites)
    if args.reps < 1 or args.warmup < 0 or args.max_seconds <= 0 or args.case_timeout <= 0:
        ap.error("--reps >= 1, --warmup >= 0, --max-seconds > 0 and --case-timeout > 0 are required")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    cases = plan(args.suites, args.quick, args.gla_g_dtype)
    if args.cases:
        pattern = re.compile(args.cases)
        cases = [c for c in cases if pattern.search(c["name"])]
    if args._worker:
        wanted = args._cases.split(",") if args._cases else []
        by_name = {c["name"]: c for c in cases}
        worker_main(args, [by_name[n] for n in wanted if n in by_name])
        return 0
    if not cases:
        print("no case selected", file=sys.stderr)
        return 2
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    print(f"{len(cases)} cases: {', '.join(c['name'] for c in cases)}", flush=True)
    run = Run(args, cases)
    run.execute()
    print(table(run.doc), flush=True)
    print(f"wrote {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
