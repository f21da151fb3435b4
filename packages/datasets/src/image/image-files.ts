// The file list of an image folder, known without decoding anything: from a directory
// (Node, listed recursively) or from an array of paths / URLs / Files (a browser
// `<input webkitdirectory>` gives Files with `webkitRelativePath`). Each entry carries
// its path relative to the folder, which is what labels come from.
import { describeValue, joinPath, listFilesRecursive, sourceLabel, StorageError, type ByteSource } from '@aeot/tensor-backend';

/** One image file of a folder. */
export interface ImageFileEntry {
  /** Where its bytes are read from. */
  source: ByteSource;
  /** Path relative to the folder, `/`-separated (`''` when unknown, e.g. a nameless Blob). */
  relativePath: string;
  /** A name for messages. */
  label: string;
}

/** Where an image folder's files come from: a directory, or the files themselves. */
export type ImageFolderSource = string | URL | readonly ByteSource[];

const DEFAULT_EXTENSIONS: readonly string[] = ['png', 'jpg', 'jpeg'];

function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** The path an item has relative to the folder it came from, before common prefixes are cut. */
function rawPathOf(item: ByteSource): string | undefined {
  if (typeof item === 'string') return item.replaceAll('\\', '/');
  if (item instanceof URL) return decodeURIComponent(item.pathname);
  if (typeof Blob !== 'undefined' && item instanceof Blob) {
    const file = item as Blob & { name?: unknown; webkitRelativePath?: unknown };
    if (typeof file.webkitRelativePath === 'string' && file.webkitRelativePath !== '') return file.webkitRelativePath;
    if (typeof file.name === 'string' && file.name !== '') return file.name;
  }
  return undefined;
}

function hasRelativePath(item: ByteSource): boolean {
  if (typeof Blob === 'undefined' || !(item instanceof Blob)) return false;
  const path = (item as Blob & { webkitRelativePath?: unknown }).webkitRelativePath;
  return typeof path === 'string' && path.includes('/');
}

/** Cuts the longest directory prefix every path shares, so the first component is a first-level subfolder. */
function stripCommonDir(paths: readonly string[]): string[] {
  if (paths.length === 0) return [];
  let common = (paths[0] as string).split('/').slice(0, -1);
  for (const p of paths) {
    const dirs = p.split('/').slice(0, -1);
    let k = 0;
    while (k < common.length && k < dirs.length && common[k] === dirs[k]) k++;
    common = common.slice(0, k);
  }
  return paths.map((p) => p.split('/').slice(common.length).join('/'));
}

/**
 * Normalises the `extensions` option: lower case, no leading dot.
 *
 * @param extensions the option's value, or `undefined` for png, jpg, jpeg.
 * @throws {TypeError} when it is not an array of strings.
 * @throws {RangeError} when it is empty.
 */
export function checkExtensions(extensions: readonly string[] | undefined): readonly string[] {
  if (extensions === undefined) return DEFAULT_EXTENSIONS;
  if (!Array.isArray(extensions) || extensions.some((e) => typeof e !== 'string')) {
    throw new TypeError(`"extensions" expected an array of strings such as ['png', 'jpg'], got ${describeValue(extensions)}`);
  }
  if (extensions.length === 0) throw new RangeError(`"extensions" expected at least one extension, got an empty array`);
  return extensions.map((e) => e.replace(/^\./, '').toLowerCase());
}

/**
 * Lists the image files of a folder source, sorted by relative path (so any platform and
 * any browser's file picker give the same order); files whose extension is not in
 * `extensions` are skipped (nameless Blobs and bytes are kept).
 *
 * @param source a directory path or URL (Node), or an array of paths / URLs / Files / Blobs.
 * @param extensions lower-case extensions without the dot.
 * @returns the entries, at least one.
 * @throws {TypeError} when `source` is of the wrong type.
 * @throws {RangeError} when an array holds no image file.
 * @throws {StorageError} when a directory cannot be listed or holds no image file.
 * @example
 * const files = await listImageFiles('img_align_celeba', ['jpg']);
 */
export async function listImageFiles(source: ImageFolderSource, extensions: readonly string[]): Promise<ImageFileEntry[]> {
  const wanted = (path: string): boolean => extensions.includes(extensionOf(path));
  if (typeof source === 'string' || source instanceof URL) {
    const all = await listFilesRecursive(source);
    const files = all.filter(wanted);
    if (files.length === 0) {
      const dir = String(source);
      throw new StorageError(
        dir,
        `no images found in "${dir}": looked recursively for files ending in ${extensions.map((e) => `.${e}`).join(', ')}, found ${all.length} other file(s)`,
      );
    }
    return files.map((rel) => {
      const path = joinPath(source, rel);
      return { source: path, relativePath: rel, label: path };
    });
  }
  if (!Array.isArray(source)) {
    throw new TypeError(`"source" expected a directory path or URL, or an array of paths / URLs / Files, got ${describeValue(source)}`);
  }
  const items = (source as readonly ByteSource[]).map((item, index) => ({ item, index, raw: rawPathOf(item) }));
  const kept = items.filter((e) => e.raw === undefined || wanted(e.raw));
  if (kept.length === 0) {
    const what = items.length === 0 ? 'an empty array' : `${items.length} file(s), none ending in ${extensions.map((e) => `.${e}`).join(', ')}`;
    throw new RangeError(`"source" expected at least one image file, got ${what}`);
  }
  // A picked folder's Files name their root first: drop exactly that; plain paths lose
  // the directory they all share (so a single-class list of paths has no subfolder left).
  const picked = kept.every((e) => hasRelativePath(e.item));
  const relative = picked ? kept.map((e) => (e.raw as string).split('/').slice(1).join('/')) : stripCommonDir(kept.map((e) => e.raw ?? ''));
  const entries = kept.map((e, i) => ({ source: e.item, relativePath: relative[i] as string, label: sourceLabel(e.item), index: e.index }));
  entries.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : a.index - b.index));
  return entries.map(({ source: s, relativePath, label }) => ({ source: s, relativePath, label }));
}

/**
 * Labels from first-level subfolders: class names are the subfolder names, sorted; a
 * file's label is its subfolder's position among them.
 *
 * @param entries the folder's files.
 * @returns `labels` (one per entry) and `classNames`.
 * @throws {RangeError} when a file lies outside every subfolder.
 */
export function subfolderLabels(entries: readonly ImageFileEntry[]): { labels: Int32Array; classNames: string[] } {
  const folders = entries.map((e) => {
    const cut = e.relativePath.indexOf('/');
    if (cut <= 0) {
      throw new RangeError(`"labels" 'subfolder' expected every image inside a first-level subfolder (one per class), got "${e.label}" at the top level`);
    }
    return e.relativePath.slice(0, cut);
  });
  const classNames = [...new Set(folders)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classNames.map((name, i) => [name, i]));
  return { labels: Int32Array.from(folders, (f) => index.get(f) as number), classNames };
}
