/**
 * A new lead's uid: a time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds,
 * a 12-bit counter that keeps uids made within one millisecond increasing (the RFC's method 1),
 * then 62 random bits. The uids this process makes increase, so an import appends its leads'
 * entries at the end of the UNIQUE uid index instead of on a random page of it, as random
 * (version 4) uids did: inserting 100,000 bench leads took 2.2 s of CPU with random uids
 * against 0.9 s with increasing ones (docs/decisions/lean-workspace.md, fifth step).
 */
import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Random bytes drawn 4 KiB at a time: one system call per 512 uids. */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
let lastMs = -1;
let counter = 0;

function randomByte(): number {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

/**
 * A version 7 UUID, greater than every one this process made before (also when the clock steps
 * back). `now`: the clock (epoch ms), given by tests.
 */
export function newLeadUid(now: number = Date.now()): string {
  if (now > lastMs) {
    setMs(now);
    counter = 0;
  } else if (++counter > 0xfff) {
    // 4,096 uids in one millisecond: borrow the next one, as the RFC allows.
    setMs(lastMs + 1);
    counter = 0;
  }
  let s = msHex + HEX[0x70 | (counter >> 8)]! + HEX[counter & 0xff]! + '-' + HEX[0x80 | (randomByte() & 0x3f)]!;
  s += HEX[randomByte()]! + '-';
  for (let i = 10; i < 16; i++) s += HEX[randomByte()]!;
  return s;
}

/** The uid's first 6 bytes, the milliseconds, as text ('xxxxxxxx-xxxx-'), made once per millisecond. */
let msHex = '';

function setMs(ms: number): void {
  lastMs = ms;
  let hex = '';
  for (let i = 5; i >= 0; i--) {
    hex = HEX[ms % 256]! + hex;
    ms = Math.floor(ms / 256);
  }
  msHex = `${hex.slice(0, 8)}-${hex.slice(8)}-`;
}
