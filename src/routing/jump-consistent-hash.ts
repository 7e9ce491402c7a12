import { createHash } from 'node:crypto';

const UINT64_BITS = 64;
/** The 64-bit linear congruential step of the paper's reference code. */
const LCG_MULTIPLIER = 2862933555777941757n;
const TWO_POW_31 = 2 ** 31;

/**
 * Jump Consistent Hash (Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm", 2014):
 * maps a 64-bit key to a bucket in `0 .. numBuckets − 1`. Growing from `n` to `n + 1` buckets moves
 * only the keys that land in the new bucket (about `1 / (n + 1)` of them); nothing else moves.
 *
 * The loop is the paper's C++ code step for step: the LCG runs in unsigned 64-bit BigInt arithmetic,
 * and the jump itself in doubles exactly as the C++ does, so results match other implementations.
 * @param key an unsigned 64-bit key (taken modulo 2^64).
 * @param numBuckets a positive integer; the caller validates it.
 * @example jumpConsistentHash(42n, 57) // 43
 */
export function jumpConsistentHash(key: bigint, numBuckets: number): number {
  let state = BigInt.asUintN(UINT64_BITS, key);
  let bucket = -1;
  let next = 0;
  while (next < numBuckets) {
    bucket = next;
    state = BigInt.asUintN(UINT64_BITS, state * LCG_MULTIPLIER + 1n);
    // (state >> 33) has 31 bits, so Number() is exact and the double maths equals the C++.
    next = Math.floor((bucket + 1) * (TWO_POW_31 / (Number(state >> 33n) + 1)));
  }
  return bucket;
}

/**
 * A stable 64-bit hash of a string: the first 8 bytes (big-endian) of its SHA-1 over UTF-8.
 * Node's own string hashing is seeded per process, so a cryptographic digest is what keeps the same
 * key on the same queue in every process, host and run.
 */
export function stableKeyHash64(key: string): bigint {
  return createHash('sha1').update(key, 'utf8').digest().readBigUInt64BE(0);
}
