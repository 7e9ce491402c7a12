import type * as Zlib from 'node:zlib';
import { lazyRequire } from '../util/lazy-require.js';

// Loaded on the first large value: most tasks' arguments and results are small, and zlib costs a
// worker ~60 KB of heap it would otherwise never use.
const loadZlib = lazyRequire<typeof Zlib>('node:zlib');

/** Values at least this long (in bytes of JSON) are considered for compression. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;
/** Compression is kept only when it saves at least this share of the size. */
export const COMPRESSION_MIN_SAVING = 0.1;

/** A JSON text, possibly compressed: `z` set means `data` is base64 of raw deflate. */
export interface PackedJson {
  data: string;
  z?: 1;
}

/** Compresses a JSON text over 1 KiB when that saves at least 10 %. */
export function packJson(json: string): PackedJson {
  const size = Buffer.byteLength(json);
  if (size < COMPRESSION_THRESHOLD_BYTES) return { data: json };
  const compressed = loadZlib().deflateRawSync(json).toString('base64');
  if (compressed.length > size * (1 - COMPRESSION_MIN_SAVING)) return { data: json };
  return { data: compressed, z: 1 };
}

/** Reverses {@link packJson}. */
export function unpackJson(packed: PackedJson): string {
  return packed.z
    ? loadZlib().inflateRawSync(Buffer.from(packed.data, 'base64')).toString('utf8')
    : packed.data;
}
