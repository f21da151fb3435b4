// Fused power assignment for x86-64 as a Node-API addon: for each source sample x_i, the
// k best targets j by s_ij = h_j + <x_i, y_j>, best first, equal scores → lower j first.
// The same contract and the same arithmetic as the WebAssembly kernel (power_assign.c,
// relaxed-SIMD variant): acc = h_j, then acc = fma(x_it, y_jt, acc) for t = 0 … d−1, one
// rounding per step, so scores and indices are bit-identical to it.
//
// Built by native/build-node.mjs (gcc, no node-gyp) into prebuilds/linux-x64/. One shared
// object holds two kernels, picked at run time with __builtin_cpu_supports:
//   avx512  SM512 samples × TV512 zmm of 16 targets per register tile (24 accumulators);
//   avx2    SM256 samples × TV256 ymm of 8 targets (12 accumulators), for CPUs without
//           AVX-512.
// Only these kernel functions are compiled for AVX (per-function target attributes); the
// rest is baseline x86-64, so loading the addon on any x86-64 CPU is safe, and isa()
// returns null where neither kernel can run.
//
// Layout: packTargets copies y (m × d, row-major) into blocks of TB targets, each block
// d-major (yp[t·TB + l]), padded with y = 0; run pads the heights per block with −inf,
// so padded targets never enter a list. A thread works on chunks of CH samples, packed
// d-major per group of SM (the rows past the end of a short last group repeat its last
// row); for each block of targets every group of the chunk runs one register tile, so
// the block stays in L1 while the chunk's samples stream from L2. A tile keeps its
// SM × TV accumulators in registers, tests once whether any score beats its sample's
// current k-th best and only then stores the scores and inserts them (out of line, in
// target order). Each sample sees the targets in increasing j whatever the thread, so
// results do not depend on the number of threads.
//
// Threads: a process-wide pool of pthreads, started on demand (up to MAX_THREADS − 1)
// and parked on a condition variable between calls; the calling thread works too. Calls
// from several JS threads are serialised.
//
// JS surface (all arguments validated; bad ones throw TypeError / RangeError, never crash):
//   isa(): 'avx512' | 'avx2' | null
//   packTargets(y: Float32Array, m, d, isa?: 'avx512' | 'avx2'): handle
//   release(handle): void                  frees the packed targets now (else at GC)
//   targetsInfo(handle): { m, d, isa, blockTargets } | null (null once released)
//   run(handle, x, n, h, k, outIndex: Int32Array, outScore: Float32Array | null, threads): void
#define NAPI_VERSION 8
#include <node_api.h>

#include <immintrin.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// glibc ≥ 2.34 versions pthread_create GLIBC_2.34 (it moved into libc); bind the original
// version instead, which every glibc still exports (Node itself loads libpthread on older
// ones), so the addon loads wherever Node 20 runs. Nothing else needs more than 2.14.
#if defined(__x86_64__) && defined(__GLIBC__)
__asm__(".symver pthread_create,pthread_create@GLIBC_2.2.5");
#endif

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
static const char *const ISA_NAMES[] = {"none", "avx2", "avx512"};

static int detect_isa(void) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) return ISA_AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return ISA_AVX2;
  return ISA_NONE;
}

static int isa_samples(int isa) { return isa == ISA_AVX512 ? SM512 : SM256; }
static int isa_targets(int isa) { return isa == ISA_AVX512 ? TB512 : TB256; }

// ---------------------------------------------------------------------------------------
// Kernel
// ---------------------------------------------------------------------------------------

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

/** Per-thread scratch for one job. */
typedef struct {
  float *xpack;   /* chunk × d */
  float *tilebuf; /* MAX_SM × MAX_TB */
  float *sc;      /* chunk × k */
  int32_t *ix;    /* chunk × k */
} scratch_t;

// Inserts (s, j) into the sorted list (sc, ix) of length k; the caller checked s > sc[k-1].
// Strict > keeps an earlier (lower j) equal score ahead.
static float insert(float *sc, int32_t *ix, int32_t k, float s, int32_t j) {
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

// Offers the scores of one tile (sample s, target l at tilebuf[s·TB + l]) to the lists
// of its first `valid` samples (local rows g …), in target order. Only lanes above the
// sample's k-th best on entry are visited (the bits of `cand`, lowest lane first): the
// threshold only rises while inserting, so no other lane could enter, and each visited one
// is compared again with the current threshold — the same inserts as a scan of all lanes.
__attribute__((target("avx512f,avx512vl,fma"), noinline)) static void offer_avx512(const float *tilebuf, int32_t valid,
                                                                                  int32_t g, int32_t base, int32_t k,
                                                                                  float *scl, int32_t *ixl) {
  for (int32_t s = 0; s < valid; s++) {
    float *sc = scl + (size_t)(g + s) * k;
    int32_t *ix = ixl + (size_t)(g + s) * k;
    float th = sc[k - 1];
    const __m512 thv = _mm512_set1_ps(th);
    uint64_t cand = 0;
    for (int v = 0; v < TV512; v++) {
      cand |= (uint64_t)_mm512_cmp_ps_mask(_mm512_loadu_ps(tilebuf + s * TB512 + 16 * v), thv, _CMP_GT_OQ) << (16 * v);
    }
    while (cand != 0) {
      const int l = __builtin_ctzll(cand);
      cand &= cand - 1;
      const float v = tilebuf[s * TB512 + l];
      if (v > th) th = insert(sc, ix, k, v, base + l);
    }
  }
}

__attribute__((target("avx2,fma"), noinline)) static void offer_avx2(const float *tilebuf, int32_t valid, int32_t g,
                                                                    int32_t base, int32_t k, float *scl,
                                                                    int32_t *ixl) {
  for (int32_t s = 0; s < valid; s++) {
    float *sc = scl + (size_t)(g + s) * k;
    int32_t *ix = ixl + (size_t)(g + s) * k;
    float th = sc[k - 1];
    const __m256 thv = _mm256_set1_ps(th);
    uint64_t cand = 0;
    for (int v = 0; v < TV256; v++) {
      const __m256 gt = _mm256_cmp_ps(_mm256_loadu_ps(tilebuf + s * TB256 + 8 * v), thv, _CMP_GT_OQ);
      cand |= (uint64_t)(uint32_t)_mm256_movemask_ps(gt) << (8 * v);
    }
    while (cand != 0) {
      const int l = __builtin_ctzll(cand);
      cand &= cand - 1;
      const float v = tilebuf[s * TB256 + l];
      if (v > th) th = insert(sc, ix, k, v, base + l);
    }
  }
}

#define UNROLL _Pragma("GCC unroll 64")

// One chunk of `cnt` samples (packed at xp, groups of SM d-major) against every block.
__attribute__((target("avx512f,avx512vl,fma"))) static void chunk_avx512(const targets_t *tg, const float *hpack,
                                                                          const float *xp, int32_t cnt, int32_t k,
                                                                          float *scl, int32_t *ixl, float *tilebuf) {
  const int32_t d = tg->d, nb = tg->nblocks;
  for (int32_t b = 0; b < nb; b++) {
    const float *yb = tg->ypack + (size_t)b * d * TB512;
    for (int32_t g = 0; g < cnt; g += SM512) {
      const int32_t valid = cnt - g < SM512 ? cnt - g : SM512;
      const float *xg = xp + (size_t)g * d;
      const float *yp = yb;
      __m512 acc[SM512][TV512];
      UNROLL for (int v = 0; v < TV512; v++) {
        __m512 hv = _mm512_loadu_ps(hpack + (size_t)b * TB512 + 16 * v);
        UNROLL for (int s = 0; s < SM512; s++) acc[s][v] = hv;
      }
      for (int32_t t = 0; t < d; t++) {
        __m512 yv[TV512];
        UNROLL for (int v = 0; v < TV512; v++) yv[v] = _mm512_loadu_ps(yp + 16 * v);
        UNROLL for (int s = 0; s < SM512; s++) {
          __m512 xs = _mm512_set1_ps(xg[s]);
          UNROLL for (int v = 0; v < TV512; v++) acc[s][v] = _mm512_fmadd_ps(xs, yv[v], acc[s][v]);
        }
        yp += TB512;
        xg += SM512;
      }
      // Rows past `valid` repeat the last real sample: testing them is harmless.
      __mmask16 hit = 0;
      UNROLL for (int s = 0; s < SM512; s++) {
        const int32_t row = g + (s < valid ? s : valid - 1);
        __m512 th = _mm512_set1_ps(scl[(size_t)row * k + k - 1]);
        UNROLL for (int v = 0; v < TV512; v++) hit |= _mm512_cmp_ps_mask(acc[s][v], th, _CMP_GT_OQ);
      }
      if (__builtin_expect(hit != 0, 0)) {
        UNROLL for (int s = 0; s < SM512; s++) {
          UNROLL for (int v = 0; v < TV512; v++) _mm512_storeu_ps(tilebuf + s * TB512 + 16 * v, acc[s][v]);
        }
        offer_avx512(tilebuf, valid, g, b * TB512, k, scl, ixl);
      }
    }
  }
}

__attribute__((target("avx2,fma"))) static void chunk_avx2(const targets_t *tg, const float *hpack, const float *xp,
                                                          int32_t cnt, int32_t k, float *scl, int32_t *ixl,
                                                          float *tilebuf) {
  const int32_t d = tg->d, nb = tg->nblocks;
  for (int32_t b = 0; b < nb; b++) {
    const float *yb = tg->ypack + (size_t)b * d * TB256;
    for (int32_t g = 0; g < cnt; g += SM256) {
      const int32_t valid = cnt - g < SM256 ? cnt - g : SM256;
      const float *xg = xp + (size_t)g * d;
      const float *yp = yb;
      __m256 acc[SM256][TV256];
      UNROLL for (int v = 0; v < TV256; v++) {
        __m256 hv = _mm256_loadu_ps(hpack + (size_t)b * TB256 + 8 * v);
        UNROLL for (int s = 0; s < SM256; s++) acc[s][v] = hv;
      }
      for (int32_t t = 0; t < d; t++) {
        __m256 yv[TV256];
        UNROLL for (int v = 0; v < TV256; v++) yv[v] = _mm256_loadu_ps(yp + 8 * v);
        UNROLL for (int s = 0; s < SM256; s++) {
          __m256 xs = _mm256_broadcast_ss(xg + s);
          UNROLL for (int v = 0; v < TV256; v++) acc[s][v] = _mm256_fmadd_ps(xs, yv[v], acc[s][v]);
        }
        yp += TB256;
        xg += SM256;
      }
      __m256 hit = _mm256_setzero_ps();
      UNROLL for (int s = 0; s < SM256; s++) {
        const int32_t row = g + (s < valid ? s : valid - 1);
        __m256 th = _mm256_broadcast_ss(scl + (size_t)row * k + k - 1);
        UNROLL for (int v = 0; v < TV256; v++) hit = _mm256_or_ps(hit, _mm256_cmp_ps(acc[s][v], th, _CMP_GT_OQ));
      }
      if (__builtin_expect(!_mm256_testz_ps(hit, hit), 0)) {
        UNROLL for (int s = 0; s < SM256; s++) {
          UNROLL for (int v = 0; v < TV256; v++) _mm256_storeu_ps(tilebuf + s * TB256 + 8 * v, acc[s][v]);
        }
        offer_avx2(tilebuf, valid, g, b * TB256, k, scl, ixl);
      }
    }
  }
}

// Computes chunk c of the job with the caller's scratch.
static void run_chunk(const job_t *job, int64_t c, scratch_t *sc) {
  const targets_t *tg = job->tg;
  const int32_t d = tg->d, k = job->k, sm = isa_samples(tg->isa);
  const int64_t s0 = c * job->chunk;
  const int32_t cnt = (int32_t)(job->n - s0 < job->chunk ? job->n - s0 : job->chunk);
  for (int64_t i = 0; i < (int64_t)cnt * k; i++) {
    sc->sc[i] = -__builtin_inff();
    sc->ix[i] = -1;
  }
  for (int32_t g = 0; g < cnt; g += sm) {
    float *xg = sc->xpack + (size_t)g * d;
    for (int s = 0; s < sm; s++) {
      const float *row = job->x + (size_t)(s0 + (g + s < cnt ? g + s : cnt - 1)) * d;
      for (int32_t t = 0; t < d; t++) xg[(size_t)t * sm + s] = row[t];
    }
  }
  if (tg->isa == ISA_AVX512) chunk_avx512(tg, job->hpack, sc->xpack, cnt, k, sc->sc, sc->ix, sc->tilebuf);
  else chunk_avx2(tg, job->hpack, sc->xpack, cnt, k, sc->sc, sc->ix, sc->tilebuf);
  memcpy(job->oidx + s0 * k, sc->ix, (size_t)cnt * k * sizeof(int32_t));
  if (job->oscore != NULL) memcpy(job->oscore + s0 * k, sc->sc, (size_t)cnt * k * sizeof(float));
}

static void *aligned(size_t bytes) {
  void *p = NULL;
  if (posix_memalign(&p, ALIGN, bytes == 0 ? ALIGN : (bytes + ALIGN - 1) / ALIGN * ALIGN) != 0) return NULL;
  return p;
}

static void scratch_free(scratch_t *s) {
  free(s->xpack);
  free(s->tilebuf);
  free(s->sc);
  free(s->ix);
}

static int scratch_alloc(scratch_t *s, const job_t *job) {
  const size_t rows = (size_t)job->chunk;
  s->xpack = aligned(rows * job->tg->d * sizeof(float));
  s->tilebuf = aligned((size_t)MAX_SM * MAX_TB * sizeof(float));
  s->sc = aligned(rows * job->k * sizeof(float));
  s->ix = aligned(rows * job->k * sizeof(int32_t));
  if (s->xpack == NULL || s->tilebuf == NULL || s->sc == NULL || s->ix == NULL) {
    scratch_free(s);
    memset(s, 0, sizeof *s);
    return 0;
  }
  return 1;
}

// Takes chunks until none is left (any number of threads at once).
static void work(job_t *job) {
  scratch_t s;
  if (!scratch_alloc(&s, job)) return; /* others take the chunks; the caller checks `done` */
  for (;;) {
    int64_t c = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED);
    if (c >= job->nchunks) break;
    run_chunk(job, c, &s);
    __atomic_fetch_add(&job->done, 1, __ATOMIC_RELEASE);
  }
  scratch_free(&s);
}

// ---------------------------------------------------------------------------------------
// Thread pool
// ---------------------------------------------------------------------------------------

static struct {
  pthread_mutex_t mu;
  pthread_cond_t wake, idle;
  int started;      /* workers running */
  uint64_t gen;     /* incremented per job */
  job_t *job;
  int want;         /* workers (ids 0 … want−1) taking part in the current job */
  int finished;     /* of those, how many are done */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, NULL, 0, 0};

/* Serialises jobs (calls from several JS threads). */
static pthread_mutex_t submit_mu = PTHREAD_MUTEX_INITIALIZER;

typedef struct {
  int id;
  uint64_t gen;
} worker_arg_t;

static void *worker_main(void *arg) {
  worker_arg_t a = *(worker_arg_t *)arg;
  free(arg);
  uint64_t seen = a.gen;
  pthread_mutex_lock(&pool.mu);
  for (;;) {
    while (pool.gen == seen) pthread_cond_wait(&pool.wake, &pool.mu);
    seen = pool.gen;
    if (a.id >= pool.want) continue;
    job_t *job = pool.job;
    pthread_mutex_unlock(&pool.mu);
    work(job);
    pthread_mutex_lock(&pool.mu);
    if (++pool.finished == pool.want) pthread_cond_signal(&pool.idle);
  }
  return NULL;
}

// Starts workers until `count` run (or creation fails); returns how many run.
static int pool_grow(int count) {
  pthread_mutex_lock(&pool.mu);
  while (pool.started < count) {
    worker_arg_t *arg = malloc(sizeof *arg);
    if (arg == NULL) break;
    arg->id = pool.started;
    arg->gen = pool.gen;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t th;
    int rc = pthread_create(&th, &attr, worker_main, arg);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
      free(arg);
      break;
    }
    pool.started++;
  }
  int started = pool.started;
  pthread_mutex_unlock(&pool.mu);
  return started;
}

// Runs the job on this thread plus up to `helpers` pool workers.
static void run_job(job_t *job, int helpers) {
  if (helpers > job->nchunks - 1) helpers = (int)(job->nchunks - 1);
  if (helpers <= 0) {
    work(job);
    return;
  }
  pthread_mutex_lock(&submit_mu);
  int started = pool_grow(helpers);
  if (helpers > started) helpers = started;
  if (helpers > 0) {
    pthread_mutex_lock(&pool.mu);
    pool.job = job;
    pool.want = helpers;
    pool.finished = 0;
    pool.gen++;
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.mu);
  }
  work(job);
  if (helpers > 0) {
    pthread_mutex_lock(&pool.mu);
    while (pool.finished < pool.want) pthread_cond_wait(&pool.idle, &pool.mu);
    pool.job = NULL;
    pool.want = 0;
    pthread_mutex_unlock(&pool.mu);
  }
  pthread_mutex_unlock(&submit_mu);
}

// ---------------------------------------------------------------------------------------
// Node-API surface
// ---------------------------------------------------------------------------------------

static const napi_type_tag TARGETS_TAG = {0x6165656f74706f77ULL, 0x722d61737369676eULL};

#define CHECK(call)                                                  \
  do {                                                               \
    if ((call) != napi_ok) return throw_status(env, #call);          \
  } while (0)

static napi_value throw_status(napi_env env, const char *what) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) {
    const napi_extended_error_info *info = NULL;
    napi_get_last_error_info(env, &info);
    char msg[256];
    snprintf(msg, sizeof msg, "power_assign native: %s failed (%s)", what,
             info != NULL && info->error_message != NULL ? info->error_message : "unknown error");
    napi_throw_error(env, NULL, msg);
  }
  return NULL;
}

__attribute__((format(printf, 3, 4))) static napi_value throw_fmt(napi_env env, int kind, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (kind == 0) napi_throw_error(env, NULL, msg);
  else if (kind == 1) napi_throw_type_error(env, NULL, msg);
  else napi_throw_range_error(env, NULL, msg);
  return NULL;
}
#define THROW_ERROR(...) throw_fmt(env, 0, __VA_ARGS__)
#define THROW_TYPE(...) throw_fmt(env, 1, __VA_ARGS__)
#define THROW_RANGE(...) throw_fmt(env, 2, __VA_ARGS__)

static const char *typed_array_name(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "typed array";
  }
}

static const char *value_kind(napi_env env, napi_value v) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return "unknown";
  switch (t) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "boolean";
    case napi_number: return "number";
    case napi_string: return "string";
    case napi_symbol: return "symbol";
    case napi_object: return "object";
    case napi_function: return "function";
    case napi_external: return "external";
    case napi_bigint: return "bigint";
    default: return "unknown";
  }
}

/** Reads an integer in [min, max]; returns 0 (with an exception pending) otherwise. */
static int get_int(napi_env env, napi_value v, const char *name, int64_t min, int64_t max, int64_t *out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_number) {
    THROW_TYPE("\"%s\" expected a number, got %s", name, value_kind(env, v));
    return 0;
  }
  double x;
  napi_get_value_double(env, v, &x);
  if (!(x >= (double)min && x <= (double)max) || x != (double)(int64_t)x) {
    THROW_RANGE("\"%s\" expected an integer in [%lld, %lld], got %.17g", name, (long long)min, (long long)max, x);
    return 0;
  }
  *out = (int64_t)x;
  return 1;
}

/** Reads a typed array of the given type with at least `min` elements. */
static int get_array(napi_env env, napi_value v, const char *name, napi_typedarray_type want, int64_t min,
                     const char *what, void **data, size_t *length) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) {
    THROW_TYPE("\"%s\" expected a %s, got %s", name, typed_array_name(want), value_kind(env, v));
    return 0;
  }
  napi_typedarray_type type;
  size_t len = 0;
  void *ptr = NULL;
  if (napi_get_typedarray_info(env, v, &type, &len, &ptr, NULL, NULL) != napi_ok) {
    throw_status(env, "napi_get_typedarray_info");
    return 0;
  }
  if (type != want) {
    THROW_TYPE("\"%s\" expected a %s, got %s", name, typed_array_name(want), typed_array_name(type));
    return 0;
  }
  if ((int64_t)len < min) {
    THROW_RANGE("\"%s\" expected at least %s = %lld elements, got %zu", name, what, (long long)min, len);
    return 0;
  }
  if (ptr == NULL && min > 0) {
    THROW_TYPE("\"%s\" has no memory (detached buffer?)", name);
    return 0;
  }
  *data = ptr;
  *length = len;
  return 1;
}

static targets_t *get_targets(napi_env env, napi_value v) {
  napi_valuetype t;
  bool tagged = false;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_external ||
      napi_check_object_type_tag(env, v, &TARGETS_TAG, &tagged) != napi_ok || !tagged) {
    THROW_TYPE("\"handle\" expected a packed-targets handle from packTargets, got %s", value_kind(env, v));
    return NULL;
  }
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok || p == NULL) {
    throw_status(env, "napi_get_value_external");
    return NULL;
  }
  return p;
}

static void targets_free_data(napi_env env, targets_t *tg) {
  if (tg->ypack == NULL) return;
  free(tg->ypack);
  tg->ypack = NULL;
  int64_t ignored;
  if (env != NULL) napi_adjust_external_memory(env, -(int64_t)tg->bytes, &ignored);
}

static void targets_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  targets_t *tg = data;
  targets_free_data(env, tg);
  free(tg);
}

static napi_value js_isa(napi_env env, napi_callback_info info) {
  (void)info;
  int isa = detect_isa();
  napi_value out;
  if (isa == ISA_NONE) CHECK(napi_get_null(env, &out));
  else CHECK(napi_create_string_utf8(env, ISA_NAMES[isa], NAPI_AUTO_LENGTH, &out));
  return out;
}

static napi_value js_pack_targets(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) return THROW_TYPE("packTargets(y, m, d, isa?) expected at least 3 arguments, got %zu", argc);
  int64_t m, d;
  if (!get_int(env, argv[1], "m", 1, INT32_MAX, &m)) return NULL;
  if (!get_int(env, argv[2], "d", 1, INT32_MAX, &d)) return NULL;
  if ((double)m * (double)d > (double)INT64_MAX / 8) return THROW_RANGE("m·d = %.17g is too large", (double)m * (double)d);
  void *yv;
  size_t ylen;
  if (!get_array(env, argv[0], "y", napi_float32_array, m * d, "m·d", &yv, &ylen)) return NULL;
  int best = detect_isa(), isa = best;
  napi_valuetype t = napi_undefined;
  if (argc >= 4) CHECK(napi_typeof(env, argv[3], &t));
  if (t != napi_undefined) {
    char name[16] = {0};
    size_t len = 0;
    if (t != napi_string) return THROW_TYPE("\"isa\" expected 'avx512' or 'avx2', got %s", value_kind(env, argv[3]));
    CHECK(napi_get_value_string_utf8(env, argv[3], name, sizeof name, &len));
    if (strcmp(name, "avx512") == 0) isa = ISA_AVX512;
    else if (strcmp(name, "avx2") == 0) isa = ISA_AVX2;
    else return THROW_RANGE("\"isa\" expected 'avx512' or 'avx2', got '%s'", name);
    if (isa > best) return THROW_ERROR("this CPU cannot run the %s kernel (best: %s)", name, ISA_NAMES[best]);
  }
  if (isa == ISA_NONE) return THROW_ERROR("this CPU has neither AVX-512F nor AVX2 with FMA");
  const float *y = yv;
  const int32_t tb = isa_targets(isa);
  const int64_t nblocks = (m + tb - 1) / tb;
  targets_t *tg = calloc(1, sizeof *tg);
  if (tg == NULL) return THROW_ERROR("out of memory");
  tg->isa = isa;
  tg->m = (int32_t)m;
  tg->d = (int32_t)d;
  tg->tb = tb;
  tg->nblocks = (int32_t)nblocks;
  tg->bytes = (size_t)nblocks * tb * (size_t)d * sizeof(float);
  tg->ypack = aligned(tg->bytes);
  if (tg->ypack == NULL) {
    free(tg);
    return THROW_RANGE("out of memory packing %lld × %lld targets (%zu bytes)", (long long)m, (long long)d,
                       (size_t)nblocks * tb * (size_t)d * sizeof(float));
  }
  for (int64_t b = 0; b < nblocks; b++) {
    float *out = tg->ypack + (size_t)b * d * tb;
    for (int32_t l = 0; l < tb; l++) {
      const int64_t j = b * tb + l;
      if (j < m) {
        const float *row = y + (size_t)j * d;
        for (int64_t t = 0; t < d; t++) out[(size_t)t * tb + l] = row[t];
      } else {
        for (int64_t t = 0; t < d; t++) out[(size_t)t * tb + l] = 0.0f;
      }
    }
  }
  napi_value handle;
  if (napi_create_external(env, tg, targets_finalize, NULL, &handle) != napi_ok) {
    free(tg->ypack);
    free(tg);
    return throw_status(env, "napi_create_external");
  }
  CHECK(napi_type_tag_object(env, handle, &TARGETS_TAG));
  int64_t ignored;
  napi_adjust_external_memory(env, (int64_t)tg->bytes, &ignored);
  return handle;
}

static napi_value js_release(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return THROW_TYPE("release(handle) expected 1 argument");
  targets_t *tg = get_targets(env, argv[0]);
  if (tg == NULL) return NULL;
  targets_free_data(env, tg);
  return NULL;
}

static napi_value js_targets_info(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return THROW_TYPE("targetsInfo(handle) expected 1 argument");
  targets_t *tg = get_targets(env, argv[0]);
  if (tg == NULL) return NULL;
  napi_value out, v;
  if (tg->ypack == NULL) {
    CHECK(napi_get_null(env, &out));
    return out;
  }
  CHECK(napi_create_object(env, &out));
  CHECK(napi_create_int32(env, tg->m, &v));
  CHECK(napi_set_named_property(env, out, "m", v));
  CHECK(napi_create_int32(env, tg->d, &v));
  CHECK(napi_set_named_property(env, out, "d", v));
  CHECK(napi_create_string_utf8(env, ISA_NAMES[tg->isa], NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, out, "isa", v));
  CHECK(napi_create_int32(env, tg->tb, &v));
  CHECK(napi_set_named_property(env, out, "blockTargets", v));
  CHECK(napi_create_int32(env, isa_samples(tg->isa), &v));
  CHECK(napi_set_named_property(env, out, "tileSamples", v));
  return out;
}

static int overlaps(const void *a, size_t abytes, const void *b, size_t bbytes) {
  if (abytes == 0 || bbytes == 0) return 0;
  uintptr_t a0 = (uintptr_t)a, b0 = (uintptr_t)b;
  return a0 < b0 + bbytes && b0 < a0 + abytes;
}

static napi_value js_run(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 8) return THROW_TYPE("run(handle, x, n, h, k, outIndex, outScore, threads) expected 8 arguments, got %zu", argc);
  targets_t *tg = get_targets(env, argv[0]);
  if (tg == NULL) return NULL;
  if (tg->ypack == NULL) return THROW_ERROR("the packed targets were released");
  const int64_t m = tg->m, d = tg->d;
  int64_t n, k, threads;
  if (!get_int(env, argv[2], "n", 0, INT32_MAX, &n)) return NULL;
  if (!get_int(env, argv[4], "k", 1, m < MAX_K ? m : MAX_K, &k)) return NULL;
  if (!get_int(env, argv[7], "threads", 1, MAX_THREADS, &threads)) return NULL;
  void *xv, *hv, *iv, *sv = NULL;
  size_t xlen, hlen, ilen, slen = 0;
  if (!get_array(env, argv[1], "x", napi_float32_array, n * d, "n·d", &xv, &xlen)) return NULL;
  if (!get_array(env, argv[3], "h", napi_float32_array, m, "m", &hv, &hlen)) return NULL;
  if (!get_array(env, argv[5], "outIndex", napi_int32_array, n * k, "n·k", &iv, &ilen)) return NULL;
  napi_valuetype st;
  CHECK(napi_typeof(env, argv[6], &st));
  if (st != napi_null && st != napi_undefined) {
    if (!get_array(env, argv[6], "outScore", napi_float32_array, n * k, "n·k", &sv, &slen)) return NULL;
  }
  if (n == 0) return NULL;
  const size_t xbytes = (size_t)(n * d) * sizeof(float), obytes = (size_t)(n * k) * sizeof(float);
  if (sv != NULL && overlaps(iv, obytes, sv, obytes)) return THROW_RANGE("\"outIndex\" and \"outScore\" must not overlap");

  const int32_t tb = tg->tb, sm = isa_samples(tg->isa);
  float *hpack = aligned((size_t)tg->nblocks * tb * sizeof(float));
  if (hpack == NULL) return THROW_ERROR("out of memory");
  memcpy(hpack, hv, (size_t)m * sizeof(float));
  for (int64_t j = m; j < (int64_t)tg->nblocks * tb; j++) hpack[j] = -__builtin_inff();
  // Outputs are written chunk by chunk while other threads still read x: copy x first
  // when they share memory.
  float *xcopy = NULL;
  const float *x = xv;
  if (overlaps(xv, xbytes, iv, obytes) || (sv != NULL && overlaps(xv, xbytes, sv, obytes))) {
    xcopy = aligned(xbytes);
    if (xcopy == NULL) {
      free(hpack);
      return THROW_ERROR("out of memory");
    }
    memcpy(xcopy, xv, xbytes);
    x = xcopy;
  }

  // Small calls run on this thread alone: waking the pool costs more than it saves.
  if ((double)n * tg->nblocks * tb * d < SMALL_WORK) threads = 1;
  // Samples per chunk: the packed chunk fits CHUNK_BYTES, and every thread gets a few.
  int64_t chunk = CHUNK_BYTES / (int64_t)(d * sizeof(float));
  if (threads > 1) {
    int64_t share = (n + 4 * threads - 1) / (4 * threads);
    if (share < chunk) chunk = share;
  }
  if (chunk > n) chunk = n;
  chunk = (chunk + sm - 1) / sm * sm;
  if (chunk < sm) chunk = sm;
  job_t job = {
      .tg = tg, .x = x, .hpack = hpack, .n = n, .k = (int32_t)k, .chunk = (int32_t)chunk,
      .nchunks = (n + chunk - 1) / chunk, .oidx = iv, .oscore = sv, .next = 0, .done = 0,
  };
  run_job(&job, (int)threads - 1);
  free(hpack);
  free(xcopy);
  if (__atomic_load_n(&job.done, __ATOMIC_ACQUIRE) != job.nchunks) return THROW_ERROR("out of memory (kernel scratch)");
  return NULL;
}

NAPI_MODULE_INIT() {
  const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {{"isa", js_isa}, {"packTargets", js_pack_targets}, {"release", js_release},
             {"targetsInfo", js_targets_info}, {"run", js_run}};
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, fns[i].name, f) != napi_ok) return NULL;
  }
  return exports;
}
