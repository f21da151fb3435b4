// Concatenation of byte chunks into one array: the last step of every writer that builds
// a file from parts (safetensors, tfjs weight files, PNG chunks).

/**
 * Concatenates byte chunks (e.g. {@link encodeSafetensorsParts}' parts) into one array.
 *
 * @param parts the chunks, in order.
 * @param byteLength their total byte length.
 * @returns a new array holding all chunks back to back.
 * @example
 * const { parts, byteLength } = await encodeSafetensorsParts(tensors);
 * const bytes = concatParts(parts, byteLength);
 */
export function concatParts(parts: readonly Uint8Array[], byteLength: number): Uint8Array {
  const out = new Uint8Array(byteLength);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.byteLength;
  }
  return out;
}
