/*
 * The chunked GLA pipeline on CUDA: shared definitions of the stages (statex/gla.h). The kernels
 * live in gla_chunk_stages.cu (the stages the forward and the backward share), gla_chunk_fwd.cu and
 * gla_chunk_bwd.cu; each file opens with its own block comment.
 *
 * Time is cut into chunks of C = 64 tokens that never cross a sequence. Per chunk, with G2 the
 * chunk-local cumulative log-gate in base 2 (G2 = log2(e) cumsum g, kept as hi + lo floats: see
 * GateTile) and h the state entering it:
 *   gates   G2, qg = scale q . 2^{G2}, kg = k . 2^{G2_last - G2}                  (every exponent <= 0)
 *   scan    h_{c+1} = diag(2^{G2_last}) h_c + kg^T v      sequential over chunks, snapshot per chunk
 *   scores  A_tj = scale sum_k q_tk k_jk 2^{G2_tk - G2_jk}   (j <= t; 16-row sub-blocks, see below)
 *   rows    o = qg h_c + A v
 * Backward: the same scan in reverse over qg^T d_o (the state gradients), dA = scale tril(d_o v^T),
 * rows again for dv = A^T d_o + kg d_{c+1}, and dq, dk, dg per K tile (gla_chunk_bwd.cu).
 *
 * Sub-blocks. A chunk is four 16-row sub-blocks. A score between query block i and an earlier key
 * block j is a product of q_t . 2^{G2_t - r} and k_j . 2^{r - G2_j} with r the gate of the first row
 * of block i: both exponents are <= 0 (G2 falls along the chunk), so nothing overflows, and the
 * product is a matmul. Inside a diagonal block every factor 2^{G2_t - G2_j} is evaluated pairwise in
 * fp32: no shared reference keeps both sides bounded there.
 *
 * Workspace (one buffer, 256-byte aligned segments): chunk offsets (varlen), G2 as fp32 hi and, with
 * fp32 inputs, lo (see GateTile) [B*T, H, K], qg and kg [B*T, H, K] in the input type, scores A fp32
 * [B*T, H, 64] (row t holds its chunk's columns), state snapshots [S, H, K, V] in the input type
 * (the scans hold fp32 and round what they store: bf16 snapshots are what the tensor cores multiply
 * anyway); the backward adds dA and the state gradients (same type).
 * State slots: sequence n owns slots chunk0(n) + n .. chunk0(n) + n + nchunks(n): slot c holds the
 * state entering chunk c (slot nchunks the final state), and the gradient scan uses the same slots
 * for the gradients of the same states.
 */
#pragma once
#include <cuda_runtime.h>
#include <stdint.h>

#include <type_traits>

#include "common/check.h"
#include "common/gla_check.h"
#include "statex/gla.h"
#include "warp_gemm.cuh"

namespace statex {
namespace gla {

constexpr int kChunk = STATEX_GLA_CHUNK;  // tokens per chunk
constexpr int kSub = 16;                  // rows per sub-block
constexpr int kWarps = 4;                 // one warp per 16-row sub-block
constexpr int kThreads = 32 * kWarps;
constexpr int kTile = 64;                 // K and V tile of the state-sized products
constexpr int kTileK = 32;                // K tile of the scores and of dq, dk, dg
constexpr float kLog2e = 1.4426950408889634f;
// Whether the kernels that walk tiles (scan, rows, dscores, dqkg) fetch the next tile into registers
// while the current one is multiplied (TileFetch): with bf16 inputs. fp32 tiles take twice the
// registers, which would halve the resident blocks of those kernels on the fp32 path (CUDA-core
// products, the accuracy path); there each tile is fetched when it is needed.
template <typename Tin>
constexpr bool fetch_ahead() {
  return sizeof(Tin) == 2;
}
// Resident blocks per SM those kernels are compiled for: with the bf16 prefetch three (at most 168
// registers per thread, 12 warps per SM), which keeps the prefetched tiles and the accumulators out of
// local memory; fp32 six (at most 80, no spills), the occupancy its kernels had before the prefetch
// (left to itself the compiler took up to 112 registers there).
template <typename Tin>
constexpr int prefetch_blocks() {
  return fetch_ahead<Tin>() ? 3 : 6;
}
// The two ways a kernel's tile lambda places a tile: fetched into registers (stored later), or copied
// straight into shared memory.
using Ahead = std::false_type;
using Now = std::true_type;

// Padded row length of a shared tile W wide: odd for fp32 (column reads spread over banks), a
// multiple of 8 for bf16 (operand pairs stay 4-byte aligned).
template <typename T, int W>
constexpr int padded() {
  return sizeof(T) == 4 ? W + 1 : W + 8;
}

// Sizes and sequence bookkeeping, passed by value to every kernel.
struct Dims {
  int64_t B, T, H, K, V, N;
  int64_t nt_seq;              // dense: chunks per sequence
  int64_t nt;                  // chunk grid: B * nt_seq (dense), or ceil(T/64) + N (bound, varlen)
  const int64_t* cu;           // cu_seqlens or null
  const int64_t* chunk_off;    // varlen: first chunk of each sequence [N + 1] (device, computed)
  float scale;
};

// One sequence: tokens [bos, bos + len) of the flattened B*T axis, its first chunk and chunk count.
struct Seq {
  int64_t n, bos, len, chunk0, nchunks;
  __device__ int64_t slot(int64_t c) const { return chunk0 + n + c; }  // state entering chunk c
};

// One chunk: sequence, index within it, first token, valid rows.
struct Chunk {
  Seq seq;
  int64_t c, tok0;
  int L;
};

__device__ inline int64_t clamp64(int64_t x, int64_t lo, int64_t hi) { return x < lo ? lo : x > hi ? hi : x; }

// Bounds are clamped into [0, T] and the chunk count capped by chunk_off, so that a malformed
// cu_seqlens (which only the host-side check rejects) cannot send a kernel outside its buffers.
__device__ inline Seq sequence(const Dims& d, int64_t n) {
  if (!d.cu) return Seq{n, n * d.T, d.T, n * d.nt_seq, d.nt_seq};
  const int64_t bos = clamp64(d.cu[n], 0, d.T), eos = clamp64(d.cu[n + 1], bos, d.T);
  const int64_t c0 = d.chunk_off[n], nc = d.chunk_off[n + 1] - c0;
  const int64_t len = eos - bos < nc * kChunk ? eos - bos : nc * kChunk;
  return Seq{n, bos, len, c0, nc};
}

// Global chunk i (0 <= i < nt) -> its sequence and place; false past the last chunk (varlen bound).
__device__ inline bool locate(const Dims& d, int64_t i, Chunk* out) {
  int64_t n;
  if (!d.cu) {
    n = i / d.nt_seq;
  } else {
    if (i >= d.chunk_off[d.N]) return false;
    int64_t lo = 0, hi = d.N - 1;  // last n with chunk_off[n] <= i (empty sequences share offsets)
    while (lo < hi) {
      const int64_t mid = (lo + hi + 1) / 2;
      if (d.chunk_off[mid] <= i) lo = mid; else hi = mid - 1;
    }
    n = lo;
  }
  out->seq = sequence(d, n);
  out->c = i - out->seq.chunk0;
  out->tok0 = out->seq.bos + out->c * kChunk;
  const int64_t left = out->seq.len - out->c * kChunk;
  out->L = (int)(left < kChunk ? left : kChunk);
  return out->L > 0;
}

// A block of a (chunk, head, tile) grid: blockIdx.x = (i H + h) tiles + tile. False past the last chunk.
struct ChunkTile {
  Chunk ch;
  int64_t i, h, tile;
};
__device__ inline bool locate_tile(const Dims& d, int64_t tiles, ChunkTile* out) {
  const int64_t b = blockIdx.x / tiles;
  out->tile = blockIdx.x % tiles;
  out->h = b % d.H;
  out->i = b / d.H;
  return locate(d, out->i, &out->ch);
}

// ---- tiles in shared memory ------------------------------------------------------------------

// An R x C tile of a row-major global matrix (row stride `stride`), zero outside valid_rows x
// valid_cols (partial chunks and tiles), fetched into registers in 16-byte vectors and later stored to a
// shared tile of leading dimension ld, converted to TD. The two halves are apart so that a kernel can
// have the next tile's loads in flight while it multiplies the current one (all of a tile's loads are
// issued before the first is used); copy does both at once, a vector at a time. A vector is one
// 16-byte load when its row allows it (aligned base, row stride in whole vectors, vector inside the
// valid columns: the usual case, as K and V are multiples of 16), element loads otherwise. Thread t
// holds vectors t, t + 128, ...: row (t + 128 i) / (C / kVec), the same for every tile of one shape
// (so two tiles of one shape can be combined element by element, see dot_rows).
template <int R, int C, typename TS>
struct TileFetch {
  static constexpr int kVec = 16 / sizeof(TS);
  static constexpr int kRowVecs = C / kVec;
  static constexpr int kN = (R * kRowVecs + kThreads - 1) / kThreads;
  static_assert(C % kVec == 0, "tile rows hold whole 16-byte vectors");
  union Vec {
    uint4 raw;
    TS e[kVec];
  };
  Vec v[kN];

  __device__ static int index(int i) { return threadIdx.x + i * kThreads; }
  __device__ static bool owns(int i) { return index(i) < R * kRowVecs; }
  __device__ static int row(int i) { return index(i) / kRowVecs; }
  __device__ static int col(int i) { return (index(i) % kRowVecs) * kVec; }

  __device__ void fetch(const TS* g, int64_t stride, int valid_rows, int64_t valid_cols) {
#pragma unroll
    for (int i = 0; i < kN; ++i) fetch_one(i, v[i], g, stride, valid_rows, valid_cols);
  }

  template <typename TD>
  __device__ void store(TD* s, int ld) const {
#pragma unroll
    for (int i = 0; i < kN; ++i) store_one(i, v[i], s, ld);
  }

  // The tile straight into shared memory, one vector at a time through a temporary (v is not used, so
  // that it is not indexed at run time, which would put it in local memory): for tiles that are not
  // fetched ahead (and load_tile).
  template <typename TD>
  __device__ static void copy(TD* s, int ld, const TS* g, int64_t stride, int valid_rows, int64_t valid_cols) {
#pragma unroll 1
    for (int i = 0; i < kN; ++i) {
      Vec x;
      fetch_one(i, x, g, stride, valid_rows, valid_cols);
      store_one(i, x, s, ld);
    }
  }

  __device__ static void fetch_one(int i, Vec& x, const TS* g, int64_t stride, int valid_rows, int64_t valid_cols) {
    if (!owns(i)) return;
    const int r = row(i), c = col(i);
    x.raw = make_uint4(0u, 0u, 0u, 0u);
    if (r >= valid_rows || c >= valid_cols) return;
    const TS* p = g + r * stride + c;
    if (reinterpret_cast<uintptr_t>(g) % 16 == 0 && stride % kVec == 0 && c + kVec <= valid_cols) {
      x.raw = *reinterpret_cast<const uint4*>(p);
    } else {
#pragma unroll
      for (int j = 0; j < kVec; ++j)
        if (c + j < valid_cols) x.e[j] = p[j];
    }
  }

  template <typename TD>
  __device__ static void store_one(int i, const Vec& x, TD* s, int ld) {
    if (!owns(i)) return;
    TD* d = s + row(i) * ld + col(i);
    if constexpr (std::is_same<TD, TS>::value && sizeof(TD) == 2) {
      *reinterpret_cast<uint4*>(d) = x.raw;  // bf16 tiles: ld a multiple of 8, aligned base
    } else if constexpr (sizeof(TD) == 2) {  // fp32 -> bf16 pairs (ld even, col even)
#pragma unroll
      for (int j = 0; j < kVec; j += 2)
        *reinterpret_cast<uint32_t*>(d + j) = pack_bf16(to_float(x.e[j]), to_float(x.e[j + 1]));
    } else {
#pragma unroll
      for (int j = 0; j < kVec; ++j) d[j] = from_float<TD>(to_float(x.e[j]));
    }
  }

  // sums[i] += sum over this thread's vector i of this tile times the same elements of `other` (fp32).
  __device__ void dot_rows(const TileFetch& other, float (&sums)[kN]) const {
    static_assert(R * kRowVecs % kThreads == 0, "every thread owns all kN vectors");
#pragma unroll
    for (int i = 0; i < kN; ++i)
#pragma unroll
      for (int j = 0; j < kVec; ++j) sums[i] += to_float(v[i].e[j]) * to_float(other.v[i].e[j]);
  }
};

// rows x cols of a row-major global matrix into a shared tile (see TileFetch): with kBatch every load
// issued before the first store (one memory latency per tile, registers for the whole tile), else a
// vector at a time. Kernels pass fetch_ahead<Tin>(): batched on the bf16 path.
template <int R, int C, bool kBatch, typename TD, typename TS>
__device__ void load_tile(TD* s, int ld, const TS* g, int64_t stride, int valid_rows, int64_t valid_cols) {
  if constexpr (kBatch) {
    TileFetch<R, C, TS> f;
    f.fetch(g, stride, valid_rows, valid_cols);
    f.store(s, ld);
  } else {
    TileFetch<R, C, TS>::copy(s, ld, g, stride, valid_rows, valid_cols);
  }
}

// The dynamic shared memory of a kernel (opted in at launch past 48 KB) as its layout struct.
template <typename S>
__device__ S& dynamic_smem() {
  extern __shared__ __align__(16) unsigned char smem_raw[];
  return *reinterpret_cast<S*>(smem_raw);
}

// Two adjacent elements of a state row, from fp32. bf16: one packed 4-byte store (the snapshots sit in
// the 256-byte aligned workspace, and the column and V are even). fp32: two plain stores, since the
// final state and dh0 may be any 4-byte aligned caller buffer.
__device__ inline void store_pair(float* p, float a, float b) {
  p[0] = a;
  p[1] = b;
}
__device__ inline void store_pair(uint16_t* p, float a, float b) { *reinterpret_cast<uint32_t*>(p) = pack_bf16(a, b); }

// Rows 16w..16w+15 of a 64-column fp32 staging tile set to zero by warp w.
__device__ inline float* zero_warp_rows(float* tile, int ld, int w) {
  float* row0 = tile + kSub * w * ld;
  for (int e = threadIdx.x & 31; e < kSub * kChunk; e += 32) row0[(e / kChunk) * ld + e % kChunk] = 0.f;
  __syncwarp();
  return row0;
}

// The first L rows of a 64 x 64 staging tile, times scale, to score rows [token, H, 64]; out points
// at the chunk's first token and head.
__device__ inline void store_scores(float* out, int64_t H, const float* tile, int ld, int L, float scale) {
  for (int e = threadIdx.x; e < L * kChunk; e += kThreads)
    out[(e / kChunk) * H * kChunk + e % kChunk] = scale * tile[(e / kChunk) * ld + e % kChunk];
}

// The cumulative gate of a chunk in base 2 as a pair of floats, G2 = hi + lo, summed in double.
// Every factor of the pipeline is 2^{G2_a - G2_b} or 2^{G2_a}. With strong gates G2 reaches several
// hundred within a chunk, where one fp32 rounding of G2 is worth 3e-5 in the exponent; near rows
// (the pairs that matter) have hi values within a factor of two of each other, so hi_a - hi_b is
// exact and (hi_a - hi_b) + (lo_a - lo_b) keeps the difference fp32-accurate. That matters for fp32
// inputs only: with bf16 inputs (kTwo false) every factor multiplies an operand rounded to bf16
// (relative error 4e-3), so hi alone (3e-5 in the exponent, 2e-5 in the factor) is used, and the
// lo tile is neither loaded nor read: two shared loads and two adds fewer per factor.
template <typename Tin>
struct GateTile {
  static constexpr bool kTwo = sizeof(Tin) == 4;
  const float* hi;
  const float* lo;
  int ld;
  __device__ float diff(int ra, int ca, int rb, int cb) const {
    const float d = hi[ra * ld + ca] - hi[rb * ld + cb];
    if constexpr (kTwo) return d + (lo[ra * ld + ca] - lo[rb * ld + cb]);
    return d;
  }
  // 2^{G2(ra, c) - G2(rb, c)}
  __device__ float factor(int ra, int rb, int c) const { return exp2f(diff(ra, c, rb, c)); }
  __device__ float value(int r, int c) const {
    if constexpr (kTwo) return hi[r * ld + c] + lo[r * ld + c];
    return hi[r * ld + c];
  }
};

// The gate tile of a chunk (hi, and lo where GateTile<Tin> reads it): rows past the chunk repeat its
// last row (so every exponent stays <= 0 and the zero-filled q, k of those rows contribute nothing),
// channels past K are 0.
template <int C, typename Tin>
__device__ void load_gates(float* hi, float* lo, int ld, const float* ghi, const float* glo, int64_t stride, int L,
                           int64_t valid_cols) {
  for (int i = threadIdx.x; i < kChunk * C; i += kThreads) {
    const int r = i / C, c = i % C;
    const int64_t e = (r < L ? r : L - 1) * stride + c;
    hi[r * ld + c] = c < valid_cols ? ghi[e] : 0.f;
    if constexpr (GateTile<Tin>::kTwo) lo[r * ld + c] = c < valid_cols ? glo[e] : 0.f;
  }
}

// A scaled operand read: x(r, c) . 2^{sign (G2(r, c) - G2(ref, c))}, for the gated sub-block products.
template <typename T, int kSign>
struct GatedRows {
  const T* x;
  int ldx;
  GateTile<T> G;
  int row0, ref;  // x row r is gate row row0 + r; ref is the reference gate row
  __device__ float at(int r, int c) const { return to_float(x[r * ldx + c]) * exp2f(kSign * G.diff(row0 + r, c, ref, c)); }
};

// The same, read transposed: element (r, c) is x(c, r) . 2^{sign (G2(c, r) - G2(ref, r))}.
template <typename T, int kSign>
struct GatedCols {
  const T* x;
  int ldx;
  GateTile<T> G;
  int ref;
  __device__ float at(int r, int c) const { return to_float(x[c * ldx + r]) * exp2f(kSign * G.diff(c, r, ref, r)); }
};

// ---- stage launchers (gla_chunk_stages.cu) --------------------------------------------------

// Chunk offsets of the sequences (varlen only): chunk_off[n] = sum_{m<n} ceil(len_m / 64), capped at d.nt.
statex_status launch_chunk_offsets(const Dims& d, int64_t* chunk_off, cudaStream_t stream);

// G2 (hi, lo), qg, kg for every chunk and head.
template <typename Tin, typename TG>
statex_status launch_gates(const Dims& d, const Tin* q, const Tin* k, const TG* g, float* G2hi, float* G2lo, Tin* qg,
                           Tin* kg, cudaStream_t stream);

// The state scan: forward (x = kg, y = v, init = h0, final = hT) stores the state entering every
// chunk; reverse (x = qg, y = d_o, init = dht, final = dh0) stores the gradient of the state leaving
// every chunk, in the same slots.
template <typename Tin, bool kReverse>
statex_status launch_scan(const Dims& d, const Tin* x, const Tin* y, const float* G2hi, const float* init,
                          Tin* slots, float* final_state, cudaStream_t stream);

// A = scale tril(q k^T under the decay), fp32 [B*T, H, 64].
template <typename Tin>
statex_status launch_scores(const Dims& d, const Tin* q, const Tin* k, const float* G2hi, const float* G2lo, float* A,
                            cudaStream_t stream);

// Chunk rows times a V tile: out = x S + M y, with S the state (or gradient) in slot c + shift of
// the chunk's sequence and M the 64 x 64 scores. Forward output: x = qg, S = h_c, M = A, y = v.
// Backward dv (kTransposed): x = kg, S = d_{c+1}, M = A^T, y = d_o.
template <typename Tin, bool kTransposed>
statex_status launch_rows(const Dims& d, const Tin* x, const Tin* slots, int shift, const float* M, const Tin* y,
                          Tin* out, cudaStream_t stream);

// ---- shared host helpers -------------------------------------------------------------------

// Byte offsets of the workspace segments (256-byte aligned); dA, dh, P, Q and hd only for the backward.
struct Workspace {
  int64_t chunk_off, G2hi, G2lo, qg, kg, A, h, dA, dh, P, Q, hd, total;
};
Workspace workspace_layout(const GlaShape& s, bool backward);

// The workspace-size entries: validates the sizes, writes the byte count.
statex_status workspace_query(const char* op, int64_t* bytes, int dtype, int64_t B, int64_t T, int64_t H, int64_t K,
                              int64_t V, int64_t N, int varlen, bool backward);

// Checks the caller's workspace, fills the Dims of a call and, with cu_seqlens, launches the chunk
// offsets into the workspace.
statex_status prepare(const char* op, const GlaShape& s, const int64_t* cu, void* ws, int64_t ws_bytes,
                      bool backward, cudaStream_t stream, Workspace* layout, Dims* d);

template <typename T>
T* at(void* ws, int64_t offset) {
  return reinterpret_cast<T*>(static_cast<char*>(ws) + offset);
}

// Grid of n blocks, or UNSUPPORTED past what one launch can address.
inline statex_status grid_of(const char* what, int64_t n, unsigned* blocks) {
  if (n > 0x7fffffffLL)
    return set_error(STATEX_ERR_UNSUPPORTED, "gla: %s needs %lld thread blocks, more than one launch takes", what,
                     (long long)n);
  *blocks = (unsigned)(n < 1 ? 1 : n);
  return STATEX_OK;
}

}  // namespace gla
}  // namespace statex
