// Argument reading and error throwing for the addon's Node-API functions: every bad
// argument becomes a TypeError / RangeError with the library's message form
// (`"x" expected …, got …`), never a crash.
#ifndef AEOT_POWER_ASSIGN_NAPI_ARGS_H
#define AEOT_POWER_ASSIGN_NAPI_ARGS_H

#define NAPI_VERSION 8
#include <node_api.h>

#include <stdint.h>

/** Returns from the calling function with a pending Error when a Node-API call fails. */
#define CHECK(call)                                                  \
  do {                                                               \
    if ((call) != napi_ok) return throw_status(env, #call);          \
  } while (0)

/** Throws an Error naming the failed call `what` (unless an exception is already pending); returns NULL. */
napi_value throw_status(napi_env env, const char *what);

/** Throws an Error (kind 0), TypeError (1) or RangeError (2) with a printf message; returns NULL. */
__attribute__((format(printf, 3, 4))) napi_value throw_fmt(napi_env env, int kind, const char *fmt, ...);

#define THROW_ERROR(...) throw_fmt(env, 0, __VA_ARGS__)
#define THROW_TYPE(...) throw_fmt(env, 1, __VA_ARGS__)
#define THROW_RANGE(...) throw_fmt(env, 2, __VA_ARGS__)

/** What kind of JS value `v` is, for messages ("number", "object", …). */
const char *value_kind(napi_env env, napi_value v);

/** Reads an integer in [min, max]; returns 0 (with an exception pending) otherwise. */
int get_int(napi_env env, napi_value v, const char *name, int64_t min, int64_t max, int64_t *out);

/**
 * Reads a typed array of type `want` with at least `min` elements (`what` names the
 * minimum in the message, e.g. "n·d"); returns 0 (with an exception pending) otherwise.
 */
int get_array(napi_env env, napi_value v, const char *name, napi_typedarray_type want, int64_t min,
              const char *what, void **data, size_t *length);

#endif
