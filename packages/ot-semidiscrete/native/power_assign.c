// Fused power assignment for WebAssembly SIMD: for each source sample x_i, the k best
// targets j by s_ij = <x_i, y_j> + h_j, best first, equal scores → lower j first.
//
// Layout (packed once per target set by pa_pack_targets): targets in blocks of TB = 4·TV,
// each block d-major, so the inner loop streams TV vectors of 4 targets per dimension
// and FMAs them with SM broadcast sample coordinates into SM × TV accumulators that stay
// in registers. Heights are packed per block (pa_pack_heights); padded targets get
// y = 0, h = -inf and can never enter a list.
//
// Threads: pa_run hands out chunks of samples with an atomic counter in the job block,
// so any number of instances sharing one memory can call it at once. Results do not
// depend on who computes a sample: each sample sees the targets in increasing j.
//
// No static data and no shadow stack (everything is locals or caller-given pointers):
// instances on several threads share one memory and would otherwise share one stack.
#include <stdint.h>
#include <wasm_simd128.h>

typedef float f32x4_t __attribute__((__vector_size__(16), __aligned__(16)));

#ifndef SM
#define SM 6 /* samples per register tile */
#endif
#ifndef TV
#define TV 2 /* vectors of 4 targets per register tile */
#endif
#define TB (TV * 4)

// Fields of the job block (int32 each; pointers are byte offsets into the memory).
enum { J_X, J_N, J_D, J_YPACK, J_HPACK, J_NBLOCKS, J_K, J_OIDX, J_OSCORE, J_CHUNK, J_YBLOCKS, J_NEXT, J_XPACK };

static inline v128_t madd(v128_t a, v128_t b, v128_t c) {
#ifdef RELAXED
  return (v128_t)__builtin_wasm_relaxed_madd_f32x4((f32x4_t)a, (f32x4_t)b, (f32x4_t)c);
#else
  return wasm_f32x4_add(wasm_f32x4_mul(a, b), c);
#endif
}

/** Targets per packed block: the JS side sizes its buffers with it. */
__attribute__((export_name("pa_block_targets"))) int32_t pa_block_targets(void) { return TB; }

/** Samples per register tile: chunks handed to threads are multiples of it. */
__attribute__((export_name("pa_group_samples"))) int32_t pa_group_samples(void) { return SM; }

/** Packs y (m × d, row-major) into ceil(m / TB) d-major blocks at ypack; pads with 0. */
__attribute__((export_name("pa_pack_targets"))) void pa_pack_targets(const float* y, int32_t m, int32_t d, float* ypack) {
  int32_t nblocks = (m + TB - 1) / TB;
  for (int32_t b = 0; b < nblocks; b++) {
    float* out = ypack + (uint32_t)b * (uint32_t)d * TB;
    for (int32_t l = 0; l < TB; l++) {
      int32_t j = b * TB + l;
      if (j < m) {
        const float* row = y + (uint32_t)j * (uint32_t)d;
        for (int32_t t = 0; t < d; t++) out[t * TB + l] = row[t];
      } else {
        for (int32_t t = 0; t < d; t++) out[t * TB + l] = 0.0f;
      }
    }
  }
}

/** Packs h (m) into ceil(m / TB) blocks of TB at hpack; pads with -inf. */
__attribute__((export_name("pa_pack_heights"))) void pa_pack_heights(const float* h, int32_t m, float* hpack) {
  int32_t total = (m + TB - 1) / TB * TB;
  for (int32_t j = 0; j < m; j++) hpack[j] = h[j];
  for (int32_t j = m; j < total; j++) hpack[j] = -__builtin_inff();
}

// Inserts (s, j) into the sorted list (sc, ix) of length k; the caller checked s > sc[k-1].
// Strict > keeps an earlier (lower j) equal score ahead.
static __attribute__((noinline)) float insert(float* sc, int32_t* ix, int32_t k, float s, int32_t j) {
  int32_t p = k - 1;
  while (p > 0 && s > sc[p - 1]) {
    sc[p] = sc[p - 1];
    ix[p] = ix[p - 1];
    p--;
  }
  sc[p] = s;
  ix[p] = j;
  return sc[k - 1];
}

// Offers the SM × TB scores of one tile (stored at `tilebuf`: sample s, target l at
// tilebuf[s * TB + l]) to the lists of its first `valid` samples, in target order.
static __attribute__((noinline)) void offer(const float* tilebuf, int32_t valid, int32_t i0, int32_t base, int32_t k,
                                            int32_t* oidx, float* oscore) {
  for (int32_t s = 0; s < valid; s++) {
    float* sc = oscore + (uint32_t)(i0 + s) * (uint32_t)k;
    int32_t* ix = oidx + (uint32_t)(i0 + s) * (uint32_t)k;
    float th = sc[k - 1];
    for (int32_t l = 0; l < TB; l++) {
      float v = tilebuf[s * TB + l];
      if (v > th) th = insert(sc, ix, k, v, base + l);
    }
  }
}

// One group of SM samples (packed d-major at xp: xp[t * SM + s]; the first `valid` are
// real) against target blocks [b0, b1).
static inline __attribute__((always_inline)) void tile(const float* xg, int32_t valid, int32_t i0, int32_t d,
                                                       const float* ypack, const float* hpack, int32_t b0, int32_t b1,
                                                       int32_t k, int32_t* oidx, float* oscore, float* tilebuf) {
  for (int32_t b = b0; b < b1; b++) {
    const float* yp = ypack + (uint32_t)b * (uint32_t)d * TB;
    const float* xp = xg;
    v128_t acc[SM][TV];
#pragma clang loop unroll(full)
    for (int v = 0; v < TV; v++) {
      v128_t hv = wasm_v128_load(hpack + b * TB + 4 * v);
#pragma clang loop unroll(full)
      for (int s = 0; s < SM; s++) acc[s][v] = hv;
    }
#pragma clang loop unroll(disable)
    for (int32_t t = 0; t < d; t++) {
      v128_t yv[TV];
#pragma clang loop unroll(full)
      for (int v = 0; v < TV; v++) yv[v] = wasm_v128_load(yp + 4 * v);
#pragma clang loop unroll(full)
      for (int s = 0; s < SM; s++) {
        v128_t xs = wasm_v128_load32_splat(xp + s);
#pragma clang loop unroll(full)
        for (int v = 0; v < TV; v++) acc[s][v] = madd(xs, yv[v], acc[s][v]);
      }
      yp += TB;
      xp += SM;
    }
    // One test for the whole tile: does any score beat its sample's current k-th best?
    // Rows past `valid` repeat a real sample, so testing them is harmless. Only then are
    // the scores stored and offered (out of line, so that no accumulator lives across a
    // call and the common path spills nothing).
    v128_t hit = wasm_i32x4_splat(0);
#pragma clang loop unroll(full)
    for (int s = 0; s < SM; s++) {
      v128_t m = acc[s][0];
#pragma clang loop unroll(full)
      for (int v = 1; v < TV; v++) m = wasm_f32x4_pmax(m, acc[s][v]);
      int32_t row = i0 + (s < valid ? s : valid - 1);
      hit = wasm_v128_or(hit, wasm_f32x4_gt(m, wasm_v128_load32_splat(oscore + (uint32_t)row * (uint32_t)k + k - 1)));
    }
    if (__builtin_expect(wasm_v128_any_true(hit), 0)) {
#pragma clang loop unroll(full)
      for (int s = 0; s < SM; s++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < TV; v++) wasm_v128_store(tilebuf + s * TB + 4 * v, acc[s][v]);
      }
      offer(tilebuf, valid, i0, b * TB, k, oidx, oscore);
    }
  }
}

static __attribute__((noinline)) void run_chunk(const int32_t* job, int32_t s0, int32_t s1, float* tilebuf) {
  const float* x = (const float*)job[J_X];
  float* xpack = (float*)job[J_XPACK];
  int32_t d = job[J_D], k = job[J_K], nblocks = job[J_NBLOCKS], yblocks = job[J_YBLOCKS];
  const float* ypack = (const float*)job[J_YPACK];
  const float* hpack = (const float*)job[J_HPACK];
  int32_t* oidx = (int32_t*)job[J_OIDX];
  float* oscore = (float*)job[J_OSCORE];
  for (int32_t i = s0 * k; i < s1 * k; i++) {
    oscore[i] = -__builtin_inff();
    oidx[i] = -1;
  }
  // This chunk's samples, in groups of SM, d-major (s0 is a multiple of SM); the rows
  // past the end of a last short group repeat its last row.
  for (int32_t i = s0; i < s1; i += SM) {
    float* xg = xpack + (uint32_t)i * (uint32_t)d;
    for (int s = 0; s < SM; s++) {
      const float* row = x + (uint32_t)(i + s < s1 ? i + s : s1 - 1) * (uint32_t)d;
      for (int32_t t = 0; t < d; t++) xg[t * SM + s] = row[t];
    }
  }
  // Blocks of targets sized for L2 are swept by every sample group of the chunk in turn.
  for (int32_t b0 = 0; b0 < nblocks; b0 += yblocks) {
    int32_t b1 = b0 + yblocks < nblocks ? b0 + yblocks : nblocks;
    for (int32_t i = s0; i < s1; i += SM) {
      int32_t valid = s1 - i < SM ? s1 - i : SM;
      tile(xpack + (uint32_t)i * (uint32_t)d, valid, i, d, ypack, hpack, b0, b1, k, oidx, oscore, tilebuf);
    }
  }
}

/**
 * Works on the job at `job` until its samples are all taken; callable from many threads
 * at once, each with its own `scratch` (SM × TB floats, 16-byte aligned).
 */
__attribute__((export_name("pa_run"))) void pa_run(int32_t* job, float* scratch) {
  int32_t n = job[J_N], chunk = job[J_CHUNK];
  for (;;) {
    int32_t c = __atomic_fetch_add(&job[J_NEXT], 1, __ATOMIC_RELAXED);
    int32_t s0 = c * chunk;
    if (s0 >= n) break;
    run_chunk(job, s0, s0 + chunk < n ? s0 + chunk : n, scratch);
  }
}
