// Argument reading and error throwing for the addon's Node-API functions (see
// napi_args.h). Messages match the JS engines' checks, so a caller sees the same text
// whichever layer rejects an argument.
#include "napi_args.h"

#include <stdarg.h>
#include <stdio.h>

napi_value throw_status(napi_env env, const char *what) {
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

napi_value throw_fmt(napi_env env, int kind, const char *fmt, ...) {
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

const char *value_kind(napi_env env, napi_value v) {
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

int get_int(napi_env env, napi_value v, const char *name, int64_t min, int64_t max, int64_t *out) {
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

int get_array(napi_env env, napi_value v, const char *name, napi_typedarray_type want, int64_t min,
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
