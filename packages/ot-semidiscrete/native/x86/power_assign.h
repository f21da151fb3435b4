// Fused power assignment for x86-64 as a Node-API addon: what the kernels
// (kernels.c), the thread pool (thread_pool.c) and the Node-API surface (addon.c,
// napi_args.c) share. For each source sample x_i, the k best targets j by
// s_ij = h_j + <x_i, y_j>, best first, equal scores → lower j first. The same contract
// and the same arithmetic as the WebAssembly kernel (../power_assign.c, relaxed-SIMD
// variant): acc = h_j, then acc = fma(x_it, y_jt, acc) for t = 0 … d−1, one rounding per
// step, so scores and indices are bit-identical to it.
//
// Built by ../build-node.mjs (gcc, no node-gyp) into prebuilds/linux-x64/. One shared
// object holds two kernels, picked at run time with __builtin_cpu_supports:
//   avx512  SM512 samples × TV512 zmm of 16 targets per register tile (24 accumulators);
//   avx2    SM256 samples × TV256 ymm of 8 targets (12 accumulators), for CPUs without
//           AVX-512.
// Only the kernel functions are compiled for AVX (per-function target attributes); the
// rest is baseline x86-64, so loading the addon on any x86-64 CPU is safe, and isa()
// returns null where neither kernel can run.
//
// Layout: packTargets copies y (m × d, row-major) into blocks of TB targets, each block
// d-major (yp[t·TB + l]), padded with y = 0; run pads the heights per block with −inf,
// so padded targets never enter a list.
#ifndef AEOT_POWER_ASSIGN_X86_H
#define AEOT_POWER_ASSIGN_X86_H

#include <stddef.h>
#include <stdint.h>

#ifndef SM512
#define SM512 6 /* samples per AVX-512 register tile */
#endif
#ifndef TV512
#define TV512 4 /* zmm vectors of 16 targets per AVX-512 register tile */
#endif
#ifndef SM256
#define SM256 6 /* samples per AVX2 register tile */
#endif
#ifndef TV256
#define TV256 2 /* ymm vectors of 8 targets per AVX2 register tile */
#endif
#ifndef CHUNK_BYTES
#define CHUNK_BYTES (256 * 1024) /* packed samples of one chunk: stays in L2 */
#endif
#ifndef SMALL_WORK
#define SMALL_WORK 4e5 /* multiply-adds below which a call uses one thread (~10 µs) */
#endif
#define TB512 (TV512 * 16)
#define TB256 (TV256 * 8)
#define MAX_SM (SM512 > SM256 ? SM512 : SM256)
#define MAX_TB (TB512 > TB256 ? TB512 : TB256)
_Static_assert(TB512 <= 64 && TB256 <= 64, "a tile's lanes must fit a 64-bit mask");
#define MAX_THREADS 64
#define MAX_K 32
#define ALIGN 64

enum { ISA_NONE = 0, ISA_AVX2 = 1, ISA_AVX512 = 2 };

static inline int isa_samples(int isa) { return isa == ISA_AVX512 ? SM512 : SM256; }
static inline int isa_targets(int isa) { return isa == ISA_AVX512 ? TB512 : TB256; }

/** Packed targets: nblocks blocks of tb targets, each d-major. */
typedef struct {
  int isa;
  int32_t m, d, tb, nblocks;
  size_t bytes;
  float *ypack; /* NULL once released */
} targets_t;

/** One call's work, shared by the threads computing it. */
typedef struct {
  const targets_t *tg;
  const float *x;     /* n × d */
  const float *hpack; /* nblocks × tb, −inf past m */
  int64_t n;
  int32_t k, chunk; /* samples per chunk, a multiple of the tile's samples */
  int64_t nchunks;
  int32_t *oidx;  /* n × k */
  float *oscore;  /* n × k or NULL */
  int64_t next;   /* next chunk to take (atomic) */
  int64_t done;   /* chunks completed (atomic) */
} job_t;

/** The best kernel this CPU runs: ISA_AVX512, ISA_AVX2 or ISA_NONE. */
int detect_isa(void);

/** posix_memalign to ALIGN bytes, the size rounded up (0 → ALIGN); NULL when out of memory. */
void *aligned(size_t bytes);

/**
 * Takes chunks of `job` until none is left; any number of threads may call it at once.
 * A thread that cannot allocate its scratch takes no chunk: the caller compares
 * `job->done` with `job->nchunks`.
 */
void work(job_t *job);

/** Runs `job` on the calling thread plus up to `helpers` pool workers; returns when it is done. */
void run_job(job_t *job, int helpers);

#endif
