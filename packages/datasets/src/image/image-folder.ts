// A folder of PNG / JPEG images (CelebA-style) as a streaming Dataset: the file list and
// labels are known up front, pixels are decoded only when read (a few files at a time),
// so 200,000 CelebA files never sit in memory together unless `cache` asks for it.
import { describeValue, expectBoolean, expectInteger, expectOneOf, expectString, readRawBytes } from '@aeot/tensor-backend';
import { decodeImage } from '#image-codec';
import { Dataset, checkIndices } from '../dataset.js';
import type { ExampleValues } from '../example-types.js';
import { centerCrop, centerSquare } from './crop.js';
import { checkExtensions, listImageFiles, subfolderLabels, type ImageFileEntry, type ImageFolderSource } from './image-files.js';
import { toChannels, type RasterImage } from './raster.js';
import { resizeImage } from './resize.js';

/** Options of {@link loadImageFolder}. */
export interface ImageFolderOptions {
  /** Output size: a side for square images, or `[height, width]`. Default 64. */
  size?: number | readonly [number, number];
  /**
   * Centre crop applied BEFORE resizing: a side, `[height, width]`, `'center'` (the
   * largest centred square) or `'none'` (resize the whole image, aspect ratio not kept).
   * Default `'center'`. CelebA's usual face crop is `crop: 148, size: 64`.
   */
  crop?: number | readonly [number, number] | 'center' | 'none';
  /** 3 for RGB (default), 1 for grey = round(0.299 R + 0.587 G + 0.114 B). Alpha is dropped. */
  channels?: 1 | 3;
  /** `'subfolder'`: one class per first-level subfolder, classes sorted by name; `'none'` (default). */
  labels?: 'subfolder' | 'none';
  /** File extensions to read, case-insensitive. Default `['png', 'jpg', 'jpeg']`. */
  extensions?: readonly string[];
  /** Keep decoded examples in memory after their first read. Default `false`. */
  cache?: boolean;
  /** Files decoded at once. Default 4. */
  concurrency?: number;
  /** A name for messages and reports. Default `'image-folder'`. */
  name?: string;
}

type CropSpec = 'center' | 'none' | readonly [number, number];

function pair(name: string, value: unknown): [number, number] {
  if (typeof value === 'number') return [expectInteger(name, value, 1), value];
  if (Array.isArray(value) && value.length === 2) return [expectInteger(`${name}[0]`, value[0], 1), expectInteger(`${name}[1]`, value[1], 1)];
  throw new TypeError(`"${name}" expected a positive integer or [height, width], got ${describeValue(value)}`);
}

/**
 * A dataset whose examples are image files decoded on demand. Create with
 * {@link loadImageFolder}.
 */
export class ImageFolderDataset extends Dataset {
  /** Each example's path relative to the folder, in dataset order. */
  readonly relativePaths: readonly string[];
  private readonly entries: readonly ImageFileEntry[];
  private readonly crop: CropSpec;
  private readonly channels: 1 | 3;
  private readonly concurrency: number;
  private readonly cache: Map<number, Uint8Array> | undefined;

  /** @internal use {@link loadImageFolder}. */
  constructor(
    entries: readonly ImageFileEntry[],
    settings: { name: string; size: [number, number]; crop: CropSpec; channels: 1 | 3; concurrency: number; cache: boolean; labels?: { labels: Int32Array; classNames: string[] } },
  ) {
    super(entries.length, {
      name: settings.name,
      exampleShape: [settings.size[0], settings.size[1], settings.channels],
      kind: 'pixels',
      labels: settings.labels?.labels,
      numClasses: settings.labels?.classNames.length,
      classNames: settings.labels?.classNames,
    });
    this.entries = entries;
    this.relativePaths = Object.freeze(entries.map((e) => e.relativePath));
    this.crop = settings.crop;
    this.channels = settings.channels;
    this.concurrency = settings.concurrency;
    this.cache = settings.cache ? new Map() : undefined;
  }

  /**
   * Reads examples, decoding their files now (at most `concurrency` at a time).
   *
   * @param indices positions in this dataset.
   * @returns `indices.length × h × w × c` bytes, HWC.
   * @throws {RangeError} when an index is out of range, or a file is smaller than `crop`.
   * @throws {StorageError} when a file cannot be read.
   * @throws {CorruptFileError} when a file is not a PNG / JPEG or is truncated.
   */
  async read(indices: ArrayLike<number>): Promise<ExampleValues> {
    checkIndices(indices, this.size);
    const len = this.exampleLength;
    const out = new Uint8Array(indices.length * len);
    const unique = [...new Set(Array.from(indices))];
    const decoded = new Map<number, Uint8Array>();
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (next < unique.length && !failed) {
        const index = unique[next++] as number;
        try {
          decoded.set(index, await this.example(index));
        } catch (e) {
          failed = true; // stop the other workers from decoding files nobody will get
          throw e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, unique.length) }, worker));
    for (let i = 0; i < indices.length; i++) out.set(decoded.get(indices[i] as number) as Uint8Array, i * len);
    return out;
  }

  /** One example's bytes: decode, drop alpha (or grey), crop, resize. */
  private async example(index: number): Promise<Uint8Array> {
    const cached = this.cache?.get(index);
    if (cached !== undefined) return cached;
    const entry = this.entries[index] as ImageFileEntry;
    const rgba = await decodeImage(await readRawBytes(entry.source), entry.label);
    let image: RasterImage = toChannels({ width: rgba.width, height: rgba.height, channels: 4, data: rgba.data }, this.channels);
    if (this.crop === 'center') image = centerSquare(image);
    else if (this.crop !== 'none') {
      const [h, w] = this.crop;
      if (h > image.height || w > image.width) {
        throw new RangeError(`"crop" expected at most the size of every image, got ${h}×${w} for "${entry.label}" of ${image.height}×${image.width} (height×width)`);
      }
      image = centerCrop(image, h, w);
    }
    const [height, width] = [this.exampleShape[0] as number, this.exampleShape[1] as number];
    const data = image.height === height && image.width === width ? image.data : resizeImage(image, height, width).data;
    this.cache?.set(index, data);
    return data;
  }
}

/**
 * Opens a folder of PNG / JPEG images as a streaming pixel dataset. Only the file list
 * is read now (and labels, from subfolder names); pixels are decoded when examples are
 * read. Each image is decoded (format from its magic bytes), alpha dropped, centre
 * cropped, then resized (area averaging when shrinking, bilinear when enlarging) to
 * `size`, as HWC bytes.
 *
 * @param source a directory path or `file://` URL (Node; listed recursively, sorted), or
 *   an array of paths / URLs / `File`s / Blobs (e.g. from `<input webkitdirectory>`).
 * @param options size (64), crop ('center'), channels (3), labels ('none'), extensions,
 *   cache (false), concurrency (4), name.
 * @returns the dataset; example shape `[height, width, channels]`.
 * @throws {TypeError} / {RangeError} for bad options or a source of the wrong type.
 * @throws {RangeError} when an array holds no image file, or `labels: 'subfolder'` finds a top-level file.
 * @throws {StorageError} when the directory cannot be listed or holds no image.
 * @example
 * const celeba = await loadImageFolder('data/img_align_celeba', { crop: 148, size: 64 });
 * for await (const { x } of celeba.batches(128, { shuffle: true, autoDispose: true })) { … }
 */
export async function loadImageFolder(source: ImageFolderSource, options: ImageFolderOptions = {}): Promise<ImageFolderDataset> {
  if (options === null || typeof options !== 'object') throw new TypeError(`"options" expected an object, got ${describeValue(options)}`);
  const size = pair('size', options.size ?? 64);
  const rawCrop = options.crop ?? 'center';
  const crop: CropSpec = rawCrop === 'center' || rawCrop === 'none' ? rawCrop : pair('crop', rawCrop);
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) throw new RangeError(`"channels" expected 1 (grey) or 3 (RGB), got ${describeValue(channels)}`);
  const labelMode = options.labels === undefined ? 'none' : expectOneOf('labels', options.labels, ['subfolder', 'none'] as const);
  const extensions = checkExtensions(options.extensions);
  const cache = options.cache === undefined ? false : expectBoolean('cache', options.cache);
  const concurrency = options.concurrency === undefined ? 4 : expectInteger('concurrency', options.concurrency, 1, 1024);
  if (options.name !== undefined) expectString('name', options.name);
  const entries = await listImageFiles(source, extensions);
  const settings = { name: options.name ?? 'image-folder', size, crop, channels, concurrency, cache } as const;
  return new ImageFolderDataset(entries, labelMode === 'subfolder' ? { ...settings, labels: subfolderLabels(entries) } : settings);
}
