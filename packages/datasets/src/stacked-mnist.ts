// Stacked MNIST, the 1,000-mode benchmark of mode collapse (VEEGAN, PacGAN): three
// digit images drawn independently and stacked as the R, G, B channels of one 28×28×3
// image; its mode (label) is 100·d0 + 10·d1 + d2. The stack is virtual: only the
// triples of source indices are stored, and images are assembled when read.
import { createRng, describeValue, expectInteger } from '@aeot/tensor-backend';
import { Dataset, checkIndices } from './dataset.js';
import type { ExampleValues } from './example-types.js';

/** Options of {@link stackedMnist}. */
export interface StackedMnistOptions {
  /** Number of stacked images. Default 60,000. */
  size?: number;
  /** Seed of the draws (three uniform picks with replacement per image). Default 0. */
  seed?: number;
}

/** A virtual stacked-MNIST dataset; see {@link stackedMnist}. */
export class StackedMnistDataset extends Dataset {
  /** The source digit dataset. */
  readonly source: Dataset;
  /** `size × 3` source indices: the digits in channels 0, 1, 2 of each image. */
  readonly triples: Int32Array;

  /** @internal use {@link stackedMnist}. */
  constructor(source: Dataset, triples: Int32Array, labels: Int32Array, name: string) {
    const [h, w] = source.exampleShape as [number, number, number];
    super(triples.length / 3, { name, exampleShape: [h, w, 3], kind: 'pixels', labels, numClasses: 1000 });
    this.source = source;
    this.triples = triples;
  }

  async read(indices: ArrayLike<number>): Promise<ExampleValues> {
    checkIndices(indices, this.size);
    const n = indices.length;
    const picks = new Int32Array(3 * n);
    for (let i = 0; i < n; i++) {
      const k = indices[i] as number;
      picks[3 * i] = this.triples[3 * k] as number;
      picks[3 * i + 1] = this.triples[3 * k + 1] as number;
      picks[3 * i + 2] = this.triples[3 * k + 2] as number;
    }
    const digits = await this.source.read(picks);
    const plane = this.exampleLength / 3;
    const out = new Uint8Array(n * this.exampleLength);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < 3; c++) {
        const src = (3 * i + c) * plane;
        const dst = i * this.exampleLength + c;
        for (let p = 0; p < plane; p++) out[dst + 3 * p] = digits[src + p] as number;
      }
    }
    return out;
  }
}

/**
 * Builds stacked MNIST from a labelled digit dataset (e.g. `(await loadMnist()).train`):
 * each image stacks three digits drawn uniformly with replacement, one per channel;
 * label = 100·d0 + 10·d1 + d2, so there are 1,000 modes.
 *
 * @param digits a labelled pixel dataset of single-channel images with labels 0–9.
 * @param options size (default 60,000), seed (default 0).
 * @returns a dataset of `[28, 28, 3]` images with `numClasses` 1000, assembled on read
 *   (memory: 12 bytes per image for the triples).
 * @throws {RangeError} when `digits` is not single-channel, unlabelled, or has labels ≥ 10.
 * @example
 * const stacked = stackedMnist((await loadMnist()).train, { size: 26_000, seed: 1 });
 */
export function stackedMnist(digits: Dataset, options: StackedMnistOptions = {}): StackedMnistDataset {
  if (!(digits instanceof Dataset)) throw new TypeError(`"digits" expected a Dataset, got ${describeValue(digits)}`);
  const size = expectInteger('size', options.size ?? 60_000, 1);
  const seed = expectInteger('seed', options.seed ?? 0, 0, 0xffffffff);
  if (digits.kind !== 'pixels' || digits.exampleShape.length !== 3 || digits.exampleShape[2] !== 1) {
    throw new RangeError(`"digits" expected single-channel images [H, W, 1], got ${digits.kind} [${digits.exampleShape.join(', ')}]`);
  }
  const source = digits.labels;
  if (source === undefined) throw new RangeError(`"digits" expected a labelled dataset, got "${digits.name}" without labels`);
  for (const l of source) if (l > 9) throw new RangeError(`"digits" expected labels 0–9, got ${l}`);
  const rng = createRng(seed);
  const triples = new Int32Array(3 * size);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    let label = 0;
    for (let c = 0; c < 3; c++) {
      const k = rng.nextInt(digits.size);
      triples[3 * i + c] = k;
      label = 10 * label + (source[k] as number);
    }
    labels[i] = label;
  }
  return new StackedMnistDataset(digits, triples, labels, `stacked-${digits.name}`);
}
