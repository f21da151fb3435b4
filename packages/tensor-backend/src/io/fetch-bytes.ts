// Whole-resource reads over fetch, with failures as StorageErrors naming the URL: shared
// by tensor IO and by every package that loads files from URLs.
import { StorageError } from '../errors.js';

/**
 * Fetches a URL's whole body.
 *
 * @param url an http(s), blob: or data: URL (relative URLs in the browser).
 * @returns the body's bytes.
 * @throws {StorageError} when the request fails or the status is not 2xx.
 * @example
 * const bytes = await fetchBytes('https://example.org/weights.safetensors');
 */
export async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new StorageError(url, `cannot fetch "${url}": ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (!response.ok) throw new StorageError(url, `cannot fetch "${url}": HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}
