// Random convolution geometries shared by the conv-gradient kernel tests: shapes,
// strides, dilations, 'same' / 'valid' / numeric / explicit padding, both data formats.
import * as tf from '@tensorflow/tfjs-core';

export type Shape4 = [number, number, number, number];
export type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

export interface Case {
  readonly xShape: Shape4;
  readonly filterShape: Shape4;
  readonly strides: [number, number];
  readonly dilations: [number, number];
  readonly pad: Pad;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly dataFormat: 'NHWC' | 'NCHW';
}

/** The forward convolution's geometry of a case. */
export function convInfo(c: Case): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    c.xShape,
    c.filterShape,
    c.strides,
    c.dilations,
    c.pad,
    c.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(c.dataFormat),
  );
}

/**
 * A random padding: 'same' (30 %), 'valid' (25 %), numeric with a rounding mode (20 %;
 * undefined when the geometry is not square, since tfjs sizes numeric padding from the
 * height for both axes and the wasm forward kernels then overrun), else explicit
 * amounts 0–3 per side.
 */
export function randomPadding(int: (lo: number, hi: number) => number, rand: () => number, square: boolean, dataFormat: 'NHWC' | 'NCHW'): { pad: Pad; dimRoundingMode?: 'floor' | 'round' | 'ceil' } | undefined {
  const kind = rand();
  if (kind < 0.3) return { pad: 'same' };
  if (kind < 0.55) return { pad: 'valid' };
  if (kind < 0.75) {
    if (!square) return undefined;
    const pad = int(0, 2);
    return { pad, dimRoundingMode: (['floor', 'round', 'ceil'] as const)[int(0, 2)] };
  }
  const [t, b, l, r] = [int(0, 3), int(0, 3), int(0, 3), int(0, 3)];
  return { pad: dataFormat === 'NHWC' ? [[0, 0], [t, b], [l, r], [0, 0]] : [[0, 0], [0, 0], [t, b], [l, r]] };
}

/** A random valid case (non-empty output); dilation > 1 only when `dilate`. */
export function randomCase(rand: () => number, dilate: boolean): Case {
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  for (;;) {
    const dataFormat = rand() < 0.25 ? 'NCHW' : 'NHWC';
    const [n, h, w, ci, co] = [int(1, 3), int(1, 12), int(1, 12), int(1, 5), int(1, 6)];
    const filterShape: Shape4 = [int(1, 5), int(1, 5), ci, co];
    const strides: [number, number] = [int(1, 3), int(1, 3)];
    const dilations: [number, number] = dilate ? [int(1, 3), int(1, 3)] : [1, 1];
    const padding = randomPadding(int, rand, filterShape[0] === filterShape[1] && strides[0] === strides[1] && dilations[0] === dilations[1], dataFormat);
    if (padding === undefined) continue;
    const { pad, dimRoundingMode } = padding;
    const xShape: Shape4 = dataFormat === 'NHWC' ? [n, h, w, ci] : [n, ci, h, w];
    const c: Case = { xShape, filterShape, strides, dilations, pad, dataFormat, ...(dimRoundingMode ? { dimRoundingMode } : {}) };
    const info = convInfo(c);
    if (info.outHeight > 0 && info.outWidth > 0) return c;
  }
}
