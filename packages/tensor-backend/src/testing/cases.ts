// The conformance cases every backend runs: small problems with float64 or closed-form
// answers, covering what aeot's packages rely on (reads, arithmetic, matmul, reductions,
// argmax/top-k, convolutions, gradients, optimisers, memory discipline).
import type * as tfType from '@tensorflow/tfjs-core';
import type { Backend } from '../backend.js';
import { assertClose, assertEqual, assertShape, ConformanceFailure, testValues } from './assert.js';
import { conv2dFilterGradRef, conv2dInputGradRef, conv2dRef, matMulRef, sameGeometry } from './reference.js';

/** What a case gets to work with. */
export interface ConformanceContext {
  readonly backend: Backend;
  readonly tf: typeof tfType;
  /** Relative tolerance for this backend (see {@link defaultTolerance}). */
  readonly tol: number;
}

/** One conformance case. */
export interface ConformanceCase {
  /** Unique, descriptive name. */
  readonly name: string;
  /** Returns the reason this case cannot run on `backend`, or undefined to run it. */
  readonly skip?: (backend: Backend) => string | undefined;
  /** Runs the case; throws (e.g. {@link ConformanceFailure}) when the backend is wrong. */
  run(ctx: ConformanceContext): Promise<void>;
}

const read = async (t: tfType.Tensor): Promise<Float32Array | Int32Array | Uint8Array> => {
  const data = (await t.data()) as Float32Array | Int32Array | Uint8Array;
  return data;
};

/** Builds a case list; the cases themselves are stateless. */
export function coreConformanceCases(): readonly ConformanceCase[] {
  return CASES;
}

const CASES: readonly ConformanceCase[] = Object.freeze([
  {
    name: 'async reads return what was uploaded (float32, int32, bool)',
    async run({ tf }) {
      const f = tf.tensor2d([1.5, -2.25, 3e-7, 65504], [2, 2]);
      const i = tf.tensor1d([-2147483648, 0, 7, 2147483647], 'int32');
      const b = tf.tensor1d([true, false, true], 'bool');
      assertShape('float32', f.shape, [2, 2]);
      assertEqual('float32', await read(f), new Float32Array([1.5, -2.25, 3e-7, 65504]));
      assertEqual('int32', await read(i), [-2147483648, 0, 7, 2147483647]);
      assertEqual('bool', await read(b), [1, 0, 1]);
      assertEqual('array()', ((await f.array()) as number[][]).flat(), new Float32Array([1.5, -2.25, 3e-7, 65504]));
      tf.dispose([f, i, b]);
    },
  },
  {
    name: 'elementwise arithmetic with broadcasting',
    async run({ tf, tol }) {
      const a = testValues(12, 1);
      const b = testValues(4, 2).map((v) => v + 2); // away from zero for div
      const [ta, tb] = [tf.tensor2d(a, [3, 4]), tf.tensor1d(b)];
      const out = tf.tidy(() => tf.sub(tf.div(tf.mul(tf.add(ta, tb), tb), tf.square(tb)), ta));
      const expected = Array.from(a, (v, k) => ((v + b[k % 4]!) * b[k % 4]!) / (b[k % 4]! * b[k % 4]!) - v);
      assertClose('((a+b)·b)/b² − a', await read(out), expected, tol);
      tf.dispose([ta, tb, out]);
    },
  },
  {
    name: 'unary math matches Math.* (exp, log, sqrt, tanh, sigmoid, relu, leakyRelu, abs)',
    async run({ tf, tol }) {
      const x = testValues(64, 3).map((v) => v * 4);
      const pos = x.map((v) => Math.abs(v) + 0.1);
      const tx = tf.tensor1d(x);
      const tp = tf.tensor1d(pos);
      const checks: [string, tfType.Tensor, (v: number, p: number) => number, number][] = [
        ['exp', tf.exp(tx), (v) => Math.exp(v), 10 * tol],
        ['log', tf.log(tp), (_, p) => Math.log(p), 10 * tol],
        ['sqrt', tf.sqrt(tp), (_, p) => Math.sqrt(p), tol],
        ['tanh', tf.tanh(tx), (v) => Math.tanh(v), 10 * tol],
        ['sigmoid', tf.sigmoid(tx), (v) => 1 / (1 + Math.exp(-v)), 10 * tol],
        ['relu', tf.relu(tx), (v) => Math.max(v, 0), tol],
        ['leakyRelu(0.2)', tf.leakyRelu(tx, 0.2), (v) => (v > 0 ? v : 0.2 * v), tol],
        ['abs', tf.abs(tx), (v) => Math.abs(v), tol],
      ];
      for (const [what, t, f, tl] of checks) {
        assertClose(what, await read(t), Array.from(x, (v, k) => f(v, pos[k]!)), tl);
      }
      tf.dispose([tx, tp, ...checks.map((c) => c[1])]);
    },
  },
  {
    name: 'matMul of odd sizes, with transposes, matches float64',
    async run({ tf, tol }) {
      const [m, k, n] = [33, 17, 29];
      const a = testValues(m * k, 4);
      const b = testValues(k * n, 5);
      const ta = tf.tensor2d(a, [m, k]);
      const tb = tf.tensor2d(b, [k, n]);
      const expected = matMulRef(a, b, m, k, n);
      const c = tf.matMul(ta, tb);
      const cT = tf.tidy(() => tf.matMul(tf.transpose(ta), tf.transpose(tb), true, true));
      assertShape('A·B', c.shape, [m, n]);
      assertClose('A·B', await read(c), expected, tol * 10);
      assertClose('(Aᵀ)ᵀ·(Bᵀ)ᵀ', await read(cT), expected, tol * 10);
      tf.dispose([ta, tb, c, cT]);
    },
  },
  {
    name: 'reductions: sum, mean, max, min over axes; sum of 2^20 ones is exact',
    async run({ tf, tol }) {
      const x = testValues(6 * 7, 6);
      const t = tf.tensor2d(x, [6, 7]);
      const rows = Array.from({ length: 6 }, (_, i) => x.slice(i * 7, i * 7 + 7));
      const sum1 = tf.sum(t, 1);
      const mean0 = tf.mean(t, 0);
      const max1 = tf.max(t, 1);
      const min0 = tf.min(t, 0);
      assertClose('sum axis 1', await read(sum1), rows.map((r) => r.reduce((s, v) => s + v, 0)), tol);
      assertClose('mean axis 0', await read(mean0), Array.from({ length: 7 }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / 6), tol);
      assertEqual('max axis 1', await read(max1), rows.map((r) => Math.max(...r)));
      assertEqual('min axis 0', await read(min0), new Float32Array(Array.from({ length: 7 }, (_, j) => Math.min(...rows.map((r) => r[j]!)))));
      const ones = tf.ones([1 << 20]);
      const total = tf.sum(ones);
      assertEqual('sum of 2^20 ones', await read(total), [1 << 20]);
      tf.dispose([t, sum1, mean0, max1, min0, ones, total]);
    },
  },
  {
    name: 'argMax and topK pick the right indices (the OT assignment primitive)',
    async run({ tf }) {
      const [n, m] = [37, 53];
      const s = testValues(n * m, 7);
      const t = tf.tensor2d(s, [n, m]);
      const arg = tf.argMax(t, 1);
      const { values, indices } = tf.topk(t, 3);
      const expIdx: number[] = [];
      const expVal: number[] = [];
      for (let i = 0; i < n; i++) {
        const row = Array.from(s.slice(i * m, (i + 1) * m), (v, j) => [v, j] as const).sort((p, q) => q[0] - p[0]);
        for (const [v, j] of row.slice(0, 3)) {
          expIdx.push(j);
          expVal.push(v);
        }
      }
      assertEqual('argMax', await read(arg), expIdx.filter((_, k) => k % 3 === 0));
      assertEqual('topk indices', await read(indices), expIdx);
      assertEqual('topk values', await read(values), new Float32Array(expVal));
      tf.dispose([t, arg, values, indices]);
    },
  },
  {
    name: 'softmax and logSumExp stay finite and exact for large logits',
    async run({ tf, tol }) {
      const x = [80, 79, -80, 0, 88, 87.5];
      const t = tf.tensor2d(x, [2, 3]);
      const lse = tf.logSumExp(t, 1);
      const sm = tf.softmax(t);
      const ref = (r: number[]) => {
        const mx = Math.max(...r);
        return mx + Math.log(r.reduce((s, v) => s + Math.exp(v - mx), 0));
      };
      const rows = [x.slice(0, 3), x.slice(3)];
      assertClose('logSumExp', await read(lse), rows.map(ref), tol);
      assertClose('softmax', await read(sm), rows.flatMap((r) => r.map((v) => Math.exp(v - ref(r)))), 10 * tol);
      tf.dispose([t, lse, sm]);
    },
  },
  {
    name: 'shape ops: reshape, transpose, slice, concat, pad, gather, stack',
    async run({ tf }) {
      const x = tf.tensor3d(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
      const tr = tf.transpose(x, [2, 0, 1]);
      const sl = tf.slice(x, [1, 1, 1], [1, 2, 2]);
      const cc = tf.concat([sl, sl], 2);
      const pd = tf.pad(tf.tensor1d([1, 2]), [[2, 1]], 9);
      const ga = tf.gather(tf.tensor1d([10, 20, 30, 40]), tf.tensor1d([3, 0, 3], 'int32'));
      const st = tf.stack([tf.scalar(1), tf.scalar(2)]);
      assertEqual('transpose [2,0,1]', (await read(tr)).slice(0, 6), [0, 4, 8, 12, 16, 20]);
      assertEqual('slice', await read(sl), [17, 18, 21, 22]);
      assertShape('concat', cc.shape, [1, 2, 4]);
      assertEqual('concat', await read(cc), [17, 18, 17, 18, 21, 22, 21, 22]);
      assertEqual('pad', await read(pd), [9, 9, 1, 2, 9]);
      assertEqual('gather', await read(ga), [40, 10, 40]);
      assertEqual('stack', await read(st), [1, 2]);
      tf.dispose([x, tr, sl, cc, pd, ga, st]);
    },
  },
  {
    name: 'int32 arithmetic is exact; casts truncate toward zero',
    async run({ tf }) {
      const a = tf.tensor1d([7, -7, 1 << 24, 123456789], 'int32');
      const b = tf.tensor1d([2, 2, 1, 3], 'int32');
      const sum = tf.add(a, b);
      const prod = tf.mul(a, b);
      const cast = tf.cast(tf.tensor1d([2.7, -2.7, 0.5]), 'int32');
      assertEqual('int32 add', await read(sum), [9, -5, (1 << 24) + 1, 123456792]);
      assertEqual('int32 mul', await read(prod), [14, -14, 1 << 24, 370370367]);
      assertEqual('cast', await read(cast), [2, -2, 0]);
      tf.dispose([a, b, sum, prod, cast]);
    },
  },
  {
    name: 'conv2d NHWC, 4×4 kernel, stride 2, same padding, matches float64',
    async run({ tf, tol }) {
      const g = sameGeometry(2, 9, 8, 3, 4, 5, 2);
      const x = testValues(g.batch * g.inH * g.inW * g.inC, 8);
      const w = testValues(g.kH * g.kW * g.inC * g.outC, 9);
      const tx = tf.tensor4d(x, [g.batch, g.inH, g.inW, g.inC]);
      const tw = tf.tensor4d(w, [g.kH, g.kW, g.inC, g.outC]);
      const y = tf.conv2d(tx, tw, 2, 'same');
      assertShape('conv2d', y.shape, [g.batch, g.outH, g.outW, g.outC]);
      assertClose('conv2d', await read(y), conv2dRef(x, w, g), 10 * tol);
      tf.dispose([tx, tw, y]);
    },
  },
  {
    name: 'conv2dTranspose, stride 2, same padding, matches float64',
    async run({ tf, tol }) {
      const g = sameGeometry(2, 8, 8, 3, 4, 5, 2);
      const dy = testValues(g.batch * g.outH * g.outW * g.outC, 10);
      const w = testValues(g.kH * g.kW * g.inC * g.outC, 11);
      const t = tf.conv2dTranspose(
        tf.tensor4d(dy, [g.batch, g.outH, g.outW, g.outC]),
        tf.tensor4d(w, [g.kH, g.kW, g.inC, g.outC]),
        [g.batch, g.inH, g.inW, g.inC],
        2,
        'same',
      );
      assertClose('conv2dTranspose', await read(t), conv2dInputGradRef(dy, w, g), 10 * tol);
      tf.dispose(t);
    },
  },
  {
    name: 'gradients: d/dx Σ sin(x)·x² = cos(x)·x² + 2x·sin(x)',
    async run({ tf, tol }) {
      const x = testValues(50, 12).map((v) => v * 3);
      const tx = tf.tensor1d(x);
      const g = tf.grad((v: tfType.Tensor) => tf.sum(tf.mul(tf.sin(v), tf.square(v))))(tx);
      assertClose('gradient', await read(g), Array.from(x, (v) => Math.cos(v) * v * v + 2 * v * Math.sin(v)), 10 * tol);
      tf.dispose([tx, g]);
    },
  },
  {
    name: 'conv2d gradients w.r.t. input and filter match float64 (Conv2DBackpropInput / Conv2DBackpropFilter)',
    async run({ tf, tol }) {
      const g = sameGeometry(3, 10, 9, 2, 4, 4, 2);
      const x = testValues(g.batch * g.inH * g.inW * g.inC, 13);
      const w = testValues(g.kH * g.kW * g.inC * g.outC, 14);
      const dy = testValues(g.batch * g.outH * g.outW * g.outC, 15);
      const tx = tf.tensor4d(x, [g.batch, g.inH, g.inW, g.inC]);
      const tw = tf.tensor4d(w, [g.kH, g.kW, g.inC, g.outC]);
      const tdy = tf.tensor4d(dy, [g.batch, g.outH, g.outW, g.outC]);
      const [dx, dw] = tf.grads((a: tfType.Tensor, b: tfType.Tensor) => tf.conv2d(a as tfType.Tensor4D, b as tfType.Tensor4D, 2, 'same'))([tx, tw], tdy);
      assertClose('dL/dx', await read(dx!), conv2dInputGradRef(dy, w, g), 10 * tol);
      assertClose('dL/dw', await read(dw!), conv2dFilterGradRef(x, dy, g), 10 * tol);
      tf.dispose([tx, tw, tdy, dx!, dw!]);
    },
  },
  {
    name: 'batchNorm forward and its input gradient (training-mode moments)',
    async run({ tf, tol }) {
      const [n, c] = [16, 3];
      const x = testValues(n * c, 16).map((v) => v * 2 + 0.5);
      const tx = tf.tensor2d(x, [n, c]);
      const f = (v: tfType.Tensor) => {
        const { mean, variance } = tf.moments(v, 0);
        // tfjs's batchNorm gradient needs offset and scale of the moments' rank.
        return tf.batchNorm(v as tfType.Tensor2D, mean, variance, tf.fill([c], 0.1), tf.fill([c], 1.5), 1e-3);
      };
      const y = tf.tidy(() => f(tx));
      const mu = Array.from({ length: c }, (_, j) => x.filter((_, k) => k % c === j).reduce((s, v) => s + v, 0) / n);
      const vr = Array.from({ length: c }, (_, j) => x.filter((_, k) => k % c === j).reduce((s, v) => s + (v - mu[j]!) ** 2, 0) / n);
      assertClose('batchNorm', await read(y), Array.from(x, (v, k) => 1.5 * ((v - mu[k % c]!) / Math.sqrt(vr[k % c]! + 1e-3)) + 0.1), 10 * tol);
      // Σ of a normalised batch is constant in x, so its gradient vanishes.
      const g = tf.grad((v: tfType.Tensor) => tf.sum(f(v)))(tx);
      assertClose('d/dx Σ batchNorm(x)', await read(g), new Float64Array(n * c), 10 * tol);
      tf.dispose([tx, y, g]);
    },
  },
  {
    name: 'maxPool and avgPool forward and gradients',
    async run({ tf }) {
      const input = Array.from({ length: 16 }, (_, i) => (i * 7) % 16); // a permutation of 0..15
      const x = tf.tensor4d(input, [1, 4, 4, 1]);
      const windows = [0, 2, 8, 10].map((o) => [o, o + 1, o + 4, o + 5].map((i) => input[i]!));
      const mp = tf.maxPool(x, 2, 2, 'valid');
      const ap = tf.avgPool(x, 2, 2, 'valid');
      assertEqual('maxPool', await read(mp), windows.map((w) => Math.max(...w)));
      assertEqual('avgPool', await read(ap), windows.map((w) => w.reduce((s, v) => s + v, 0) / 4));
      const gm = tf.grad((v: tfType.Tensor) => tf.sum(tf.maxPool(v as tfType.Tensor4D, 2, 2, 'valid')))(x);
      const ga = tf.grad((v: tfType.Tensor) => tf.sum(tf.avgPool(v as tfType.Tensor4D, 2, 2, 'valid')))(x);
      const maxima = windows.map((w) => Math.max(...w));
      assertEqual('maxPool grad', await read(gm), input.map((v) => (maxima.includes(v) ? 1 : 0)));
      assertEqual('avgPool grad', await read(ga), new Array(16).fill(0.25));
      tf.dispose([x, mp, ap, gm, ga]);
    },
  },
  {
    name: 'Adam takes the closed-form first step: w − lr·sign(g)',
    async run({ tf, tol }) {
      const w0 = [0.5, -1, 2];
      const w = tf.variable(tf.tensor1d(w0));
      const opt = tf.train.adam(0.01);
      const target = tf.tensor1d([1, 1, 1]);
      opt.minimize(() => tf.sum(tf.square(tf.sub(w, target))) as tfType.Scalar);
      // After one bias-corrected step m̂ = g, v̂ = g², so Δ = −lr·g/(|g| + ε).
      assertClose('w after one Adam step', await read(w), w0.map((v) => v - 0.01 * Math.sign(2 * (v - 1))), tol);
      opt.dispose();
      tf.dispose([w, target]);
    },
  },
  {
    name: 'tidy and dispose leave no tensors behind',
    async run({ tf }) {
      const before = tf.memory().numTensors;
      const kept = tf.tidy(() => {
        const a = tf.ones([64, 64]);
        const b = tf.matMul(a, a);
        return tf.sum(b);
      });
      const v = await read(kept);
      kept.dispose();
      if (tf.memory().numTensors !== before) throw new ConformanceFailure(`tensors leaked: ${tf.memory().numTensors - before}`);
      assertEqual('Σ (1·1)·64 over 64×64', v, [64 * 64 * 64]);
    },
  },
]);

