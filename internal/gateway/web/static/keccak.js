// Keccak-256 (the original Keccak padding, as Ethereum and cityctl use it),
// written for this page from the Keccak reference (FIPS 202 without the SHA-3
// domain bits). 64-bit lanes are held as two 32-bit halves: lo, hi.
"use strict";

const KECCAK_RATE = 136; // bytes absorbed per permutation for a 256-bit output

// Round constants, from the reference LFSR x^8+x^6+x^5+x^4+1.
const KECCAK_RC = (() => {
  const rcBit = (t) => {
    let r = 1;
    for (let i = 0; i < t % 255; i++) {
      r <<= 1;
      if (r & 0x100) r ^= 0x171;
    }
    return r & 1;
  };
  const out = new Uint32Array(48);
  for (let round = 0; round < 24; round++) {
    for (let j = 0; j < 7; j++) {
      if (!rcBit(j + 7 * round)) continue;
      const bit = (1 << j) - 1;
      if (bit < 32) out[2 * round] |= 1 << bit;
      else out[2 * round + 1] |= 1 << (bit - 32);
    }
  }
  return out;
})();

// Rotation offsets and the pi step's destinations, from the reference walk.
const KECCAK_ROT = new Uint8Array(25);
const KECCAK_PI = new Uint8Array(25);
(() => {
  let x = 1, y = 0;
  for (let t = 0; t < 24; t++) {
    KECCAK_ROT[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  for (let x = 0; x < 5; x++) {
    for (let y = 0; y < 5; y++) KECCAK_PI[x + 5 * y] = y + 5 * ((2 * x + 3 * y) % 5);
  }
})();

// keccakF permutes the 50-word state s in place.
function keccakF(s) {
  const c = new Uint32Array(10);
  const b = new Uint32Array(50);
  for (let round = 0; round < 24; round++) {
    for (let x = 0; x < 5; x++) {
      for (let h = 0; h < 2; h++) {
        c[2 * x + h] = s[2 * x + h] ^ s[2 * x + 10 + h] ^ s[2 * x + 20 + h] ^ s[2 * x + 30 + h] ^ s[2 * x + 40 + h];
      }
    }
    for (let x = 0; x < 5; x++) {
      const p = (x + 4) % 5, n = (x + 1) % 5;
      const dlo = c[2 * p] ^ ((c[2 * n] << 1) | (c[2 * n + 1] >>> 31));
      const dhi = c[2 * p + 1] ^ ((c[2 * n + 1] << 1) | (c[2 * n] >>> 31));
      for (let y = 0; y < 25; y += 5) {
        s[2 * (x + y)] ^= dlo;
        s[2 * (x + y) + 1] ^= dhi;
      }
    }
    for (let i = 0; i < 25; i++) {
      const lo = s[2 * i], hi = s[2 * i + 1], r = KECCAK_ROT[i], d = 2 * KECCAK_PI[i];
      if (r === 0) {
        b[d] = lo; b[d + 1] = hi;
      } else if (r < 32) {
        b[d] = (lo << r) | (hi >>> (32 - r));
        b[d + 1] = (hi << r) | (lo >>> (32 - r));
      } else if (r === 32) {
        b[d] = hi; b[d + 1] = lo;
      } else {
        const m = r - 32;
        b[d] = (hi << m) | (lo >>> (32 - m));
        b[d + 1] = (lo << m) | (hi >>> (32 - m));
      }
    }
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x++) {
        const i = 2 * (x + y), n1 = 2 * (((x + 1) % 5) + y), n2 = 2 * (((x + 2) % 5) + y);
        s[i] = b[i] ^ (~b[n1] & b[n2]);
        s[i + 1] = b[i + 1] ^ (~b[n1 + 1] & b[n2 + 1]);
      }
    }
    s[0] ^= KECCAK_RC[2 * round];
    s[1] ^= KECCAK_RC[2 * round + 1];
  }
}

// Keccak256 hashes bytes given in pieces: update(Uint8Array)..., then digest().
class Keccak256 {
  constructor() {
    this.state = new Uint32Array(50);
    this.block = new Uint8Array(KECCAK_RATE);
    this.fill = 0;
  }

  update(data) {
    for (let i = 0; i < data.length; ) {
      const n = Math.min(KECCAK_RATE - this.fill, data.length - i);
      this.block.set(data.subarray(i, i + n), this.fill);
      this.fill += n;
      i += n;
      if (this.fill === KECCAK_RATE) this.absorb();
    }
    return this;
  }

  absorb() {
    const v = new DataView(this.block.buffer);
    for (let w = 0; w < KECCAK_RATE / 4; w++) this.state[w] ^= v.getUint32(4 * w, true);
    keccakF(this.state);
    this.fill = 0;
  }

  // digest pads (0x01 ... 0x80) and returns the hash as 0x and 64 hex digits.
  digest() {
    this.block.fill(0, this.fill);
    this.block[this.fill] ^= 0x01;
    this.block[KECCAK_RATE - 1] ^= 0x80;
    this.fill = KECCAK_RATE;
    this.absorb();
    const out = new Uint8Array(32);
    const v = new DataView(out.buffer);
    for (let w = 0; w < 8; w++) v.setUint32(4 * w, this.state[w], true);
    return "0x" + Array.from(out, (x) => x.toString(16).padStart(2, "0")).join("");
  }
}

// keccak256File hashes a File in chunks, calling progress(fraction) after each.
async function keccak256File(file, progress) {
  const chunk = 4 << 20;
  const h = new Keccak256();
  for (let off = 0; off < file.size; off += chunk) {
    h.update(new Uint8Array(await file.slice(off, off + chunk).arrayBuffer()));
    if (progress) progress(Math.min(1, (off + chunk) / file.size));
  }
  return h.digest();
}
