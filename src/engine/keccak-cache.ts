import { keccak256 } from "ethers";

const MAX_INPUT_BYTES = 128;
const MAX_ENTRIES = 50_000;
let installed = false;

/**
 * Memoises ethers' keccak256 for short inputs. ethers recomputes an address's checksum (a keccak
 * of it) each time it encodes, decodes or resolves one, and a function's selector on each call:
 * in a simulation the same few dozen addresses and selectors come back thousands of times, and
 * the pure-JavaScript keccak was the largest single cost in the engine's profile. Installed through
 * ethers' own `keccak256.register` hook; the result is identical, so it is invisible but for speed.
 * The cache is bounded (cleared when full). Skipped if someone has locked ethers' keccak.
 */
export function installKeccakCache(): void {
  if (installed) return;
  installed = true;
  const cache = new Map<string, Uint8Array>();
  const compute = keccak256._; // ethers' current implementation
  try {
    keccak256.register((data: Uint8Array) => {
      if (data.length > MAX_INPUT_BYTES) return compute(data);
      const key = Buffer.from(data.buffer, data.byteOffset, data.length).toString("latin1");
      let hash = cache.get(key);
      if (hash === undefined) {
        if (cache.size >= MAX_ENTRIES) cache.clear();
        hash = compute(data);
        cache.set(key, hash);
      }
      return hash.slice(); // callers may mutate what they get
    });
  } catch {
    // keccak256.lock() was called: keep ethers' own.
  }
}
