"""PyTorch's square GEMM timed exactly as `statex bench --gemm-only` times ours: CUDA events around
REPS matmuls queued back to back, per-call time, median of five rounds after a warm-up.

usage: python3 torch_gemm.py N REPS
"""
import sys

import torch

n, reps = int(sys.argv[1]), int(sys.argv[2])
for dtype in (torch.float32, torch.bfloat16):
    torch.backends.cuda.matmul.allow_tf32 = False
    g = torch.Generator(device="cuda").manual_seed(0)
    a = torch.randn(n, n, device="cuda", dtype=dtype, generator=g)
    b = torch.randn(n, n, device="cuda", dtype=dtype, generator=g)
    for _ in range(3):
        a @ b
    rounds = []
    for _ in range(5):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        for _ in range(reps):
            a @ b
        e.record()
        e.synchronize()
        rounds.append(s.elapsed_time(e) / reps)
    rounds.sort()
    ms = rounds[2]
    name = {torch.float32: "f32", torch.bfloat16: "bf16"}[dtype]
    print(f"torch matmul {n}^3 {name} (events)      {ms:9.3f} ms {2 * n ** 3 / (ms * 1e9):9.2f} TFLOP/s")
