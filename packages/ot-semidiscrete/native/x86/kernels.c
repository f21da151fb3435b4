// The AVX-512 and AVX2 register-tile kernels of the power assignment and the per-thread
// work loop that feeds them chunks of samples (see power_assign.h for the contract).
//
// A thread works on chunks of CH samples, packed d-major per group of SM (the rows past
// the end of a short last group repeat its last row); for each block of targets every
// group of the chunk runs one register tile, so the block stays in L1 while the chunk's
// samples stream from L2. A tile keeps its SM × TV accumulators in registers, tests once
// whether any score beats its sample's current k-th best and only then stores the scores
// and inserts them (out of line, in target order). Each sample sees the targets in
// increasing j whatever the thread, so results do not depend on the number of threads.
#include "power_assign.h"

#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

int detect_isa(void) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) return ISA_AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return ISA_AVX2;
  return ISA_NONE;
}

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

void *aligned(size_t bytes) {
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

void work(job_t *job) {
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
