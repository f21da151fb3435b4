// Building blocks of the fixture nets, from tfjs-core ops only (tfjs-layers is not a
// dependency): seeded Glorot parameters, training-mode batch norm, dense layers, and
// gradients keyed by stable parameter names so that two backends can be compared
// variable by variable.
import * as tf from '@tensorflow/tfjs-core';
import { seededUniform } from './seeded-data.js';

/** How one parameter is initialised. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: 'glorot' | 'zeros' | 'ones';
  readonly fanIn?: number;
  readonly fanOut?: number;
}

/** Glorot-uniform (or constant) values for `spec`, drawn from `rand`. */
function initialValues(spec: ParamSpec, rand: () => number): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  if (spec.init === 'ones') values.fill(1);
  if (spec.init === 'glorot') {
    const limit = Math.sqrt(6 / ((spec.fanIn ?? 1) + (spec.fanOut ?? 1)));
    for (let i = 0; i < size; i++) values[i] = (2 * rand() - 1) * limit;
  }
  return values;
}

/** Conv filter spec [kh, kw, in, out] with the receptive-field fans Glorot uses. */
export function convSpec(name: string, kh: number, kw: number, inC: number, outC: number): ParamSpec {
  return { name, shape: [kh, kw, inC, outC], init: 'glorot', fanIn: kh * kw * inC, fanOut: kh * kw * outC };
}

/** Batch-norm scale (ones) and offset (zeros) specs for `channels`. */
export function bnSpecs(name: string, channels: number): ParamSpec[] {
  return [
    { name: `${name}.gamma`, shape: [channels], init: 'ones' },
    { name: `${name}.beta`, shape: [channels], init: 'zeros' },
  ];
}

/** Dense kernel + bias specs. */
export function denseSpecs(name: string, inDim: number, outDim: number): ParamSpec[] {
  return [
    { name: `${name}.kernel`, shape: [inDim, outDim], init: 'glorot', fanIn: inDim, fanOut: outDim },
    { name: `${name}.bias`, shape: [outDim], init: 'zeros' },
  ];
}

/**
 * Creates the variables of `specs` on the active backend, in order, from one seeded
 * stream. Variables get engine-generated names so several models can coexist; the map
 * is keyed by the stable parameter names of the specs.
 */
export function createVariables(specs: readonly ParamSpec[], seed: number): Map<string, tf.Variable> {
  const rand = seededUniform(seed);
  const vars = new Map<string, tf.Variable>();
  for (const spec of specs) {
    const init = tf.tensor(initialValues(spec, rand), [...spec.shape], 'float32');
    vars.set(spec.name, tf.variable(init, true));
    init.dispose();
  }
  return vars;
}

/** Looks a parameter up; a missing name is a bug in this fixture. */
export function param<R extends tf.Rank>(vars: ReadonlyMap<string, tf.Variable>, name: string): tf.Tensor<R> {
  const v = vars.get(name);
  if (v === undefined) throw new Error(`fixture bug: no parameter "${name}"`);
  return v as unknown as tf.Tensor<R>;
}

/** Training-mode batch norm over N, H, W with the batch's own moments. */
export function batchNormTrain(x: tf.Tensor4D, vars: ReadonlyMap<string, tf.Variable>, name: string): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm4d(
    x,
    mean as tf.Tensor1D,
    variance as tf.Tensor1D,
    param<tf.Rank.R1>(vars, `${name}.beta`),
    param<tf.Rank.R1>(vars, `${name}.gamma`),
    1e-5,
  );
}

/** x·W + b. */
export function dense(x: tf.Tensor2D, vars: ReadonlyMap<string, tf.Variable>, name: string): tf.Tensor2D {
  return tf.add(tf.matMul(x, param<tf.Rank.R2>(vars, `${name}.kernel`)), param<tf.Rank.R1>(vars, `${name}.bias`));
}

/** A loss and the gradient of every parameter, keyed by parameter name. */
export interface ModelGradients {
  /** Scalar loss at the current weights (caller disposes). */
  readonly loss: tf.Scalar;
  /** d loss / d parameter for every parameter of the model (caller disposes). */
  readonly grads: Map<string, tf.Tensor>;
}

/** Runs tf.variableGrads over `vars` and re-keys the result by parameter name. */
export function namedGradients(f: () => tf.Scalar, vars: ReadonlyMap<string, tf.Variable>): ModelGradients {
  const { value, grads } = tf.variableGrads(f, [...vars.values()]);
  const named = new Map<string, tf.Tensor>();
  for (const [name, v] of vars) {
    const g = grads[v.name];
    if (g === undefined) throw new Error(`no gradient for parameter "${name}"`);
    named.set(name, g);
  }
  return { loss: value, grads: named };
}

/** Applies `gradients` with `optimizer`, consuming (disposing) the gradient tensors. */
export function applyNamed(optimizer: tf.Optimizer, vars: ReadonlyMap<string, tf.Variable>, gradients: ModelGradients): void {
  const byVarName: tf.NamedTensorMap = {};
  for (const [name, g] of gradients.grads) {
    const v = vars.get(name);
    if (v === undefined) throw new Error(`fixture bug: no parameter "${name}"`);
    byVarName[v.name] = g;
  }
  optimizer.applyGradients(byVarName);
  tf.dispose([...gradients.grads.values()]);
}
