// Layer blocks of the DCGAN-style nets (conv-nets.ts): 4×4 (transposed) convolutions,
// batch norm with PyTorch's constants, (leaky) ReLU, and the output activation. One
// factory holds the seed stream, so every seeded layer takes the next seed in the order
// the net is built — which is what makes the same seed give the same weights.
import * as tfl from '@tensorflow/tfjs-layers';
import type { OutputRange } from './nets.js';

// Batch-norm constants of PyTorch's BatchNorm2d (the authors' framework): running
// averages updated with weight 0.1 per batch (Keras momentum 0.9), ε = 1e−5.
const BN_MOMENTUM = 0.9;
const BN_EPSILON = 1e-5;
const LEAKY_SLOPE = 0.1;

type Initializer = ReturnType<typeof tfl.initializers.heNormal>;

/** Layer factory with the shared seeds and settings. */
export class Blocks {
  constructor(
    private readonly seeds: () => number,
    private readonly batchNorm: boolean,
    private readonly outputRange: OutputRange,
  ) {}

  private he(): Initializer {
    return tfl.initializers.heNormal({ seed: this.seeds() });
  }

  private glorot(): Initializer {
    return tfl.initializers.glorotUniform({ seed: this.seeds() });
  }

  /** conv k4, then (BN when enabled and asked for, and) LeakyReLU(0.1); or nothing (`'linear'`, the code layer). */
  conv(filters: number, stride: 1 | 2, padding: 'same' | 'valid', post: 'bn-lrelu' | 'lrelu' | 'linear', extra: { inputShape?: number[] } = {}): tfl.layers.Layer[] {
    const layers: tfl.layers.Layer[] = [
      tfl.layers.conv2d({
        filters,
        kernelSize: 4,
        strides: stride,
        padding,
        kernelInitializer: post === 'linear' ? this.glorot() : this.he(),
        biasInitializer: 'zeros',
        ...extra,
      }),
    ];
    if (post === 'bn-lrelu' && this.batchNorm) layers.push(this.bn());
    if (post !== 'linear') layers.push(tfl.layers.leakyReLU({ alpha: LEAKY_SLOPE }));
    return layers;
  }

  /** transposed conv k4, then BN (when enabled) and ReLU; or the output activation (`'out'`). */
  deconv(filters: number, stride: 1 | 2, padding: 'same' | 'valid', post: 'bn-relu' | 'out'): tfl.layers.Layer[] {
    const layers: tfl.layers.Layer[] = [
      tfl.layers.conv2dTranspose({
        filters,
        kernelSize: 4,
        strides: stride,
        padding,
        kernelInitializer: post === 'out' ? this.glorot() : this.he(),
        biasInitializer: 'zeros',
      }),
    ];
    layers.push(...(post === 'out' ? [this.output()] : this.bnRelu()));
    return layers;
  }

  dense(units: number, post: 'linear' | 'relu', extra: { inputShape?: number[] } = {}): tfl.layers.Layer {
    return tfl.layers.dense({ units, kernelInitializer: post === 'relu' ? this.he() : this.glorot(), biasInitializer: 'zeros', ...extra });
  }

  bnRelu(): tfl.layers.Layer[] {
    return [...(this.batchNorm ? [this.bn()] : []), tfl.layers.activation({ activation: 'relu' })];
  }

  output(): tfl.layers.Layer {
    return tfl.layers.activation({ activation: this.outputRange === 'unit' ? 'sigmoid' : 'tanh' });
  }

  private bn(): tfl.layers.Layer {
    return tfl.layers.batchNormalization({ axis: -1, momentum: BN_MOMENTUM, epsilon: BN_EPSILON });
  }
}
