// The Node-API surface of the x86 power-assignment addon: packed-target handles and the
// call that runs a job on the kernels and the thread pool.
//
// JS surface (all arguments validated; bad ones throw TypeError / RangeError, never crash):
//   isa(): 'avx512' | 'avx2' | null
//   packTargets(y: Float32Array, m, d, isa?: 'avx512' | 'avx2'): handle
//   release(handle): void                  frees the packed targets now (else at GC)
//   targetsInfo(handle): { m, d, isa, blockTargets, tileSamples } | null (null once released)
//   run(handle, x, n, h, k, outIndex: Int32Array, outScore: Float32Array | null, threads): void
#include "napi_args.h"
#include "power_assign.h"

#include <stdlib.h>
#include <string.h>

static const char *const ISA_NAMES[] = {"none", "avx2", "avx512"};

static const napi_type_tag TARGETS_TAG = {0x6165656f74706f77ULL, 0x722d61737369676eULL};

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
