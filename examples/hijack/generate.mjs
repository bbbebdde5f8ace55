#!/usr/bin/env node
/**
 * Synthetic logs for the "hijacked official" investigation.
 *
 *   node examples/hijack/generate.mjs [--out DIR] [--scale N] [--seed S]
 *
 * Writes auth.jsonl, access.jsonl.gz, proxy.log and ground-truth.json into DIR
 * (default: examples/hijack/data next to this script).
 *
 * Deterministic: the same seed and scale give byte-identical files on every run and machine.
 * Randomness comes from seeded mulberry32 streams only; time is formatted from fixed instants;
 * the gzip member is produced by a small deflate encoder in this file (fixed Huffman codes,
 * greedy LZ77), because the compressed bytes of Node's bundled zlib may differ between builds
 * and CPUs.
 *
 * The attack, the official's own activity, the password spray and the other scripted stories are
 * generated from their own streams and do not depend on --scale; --scale N adds N-1 further
 * agencies of background users (300 each) to the platform.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as zlib from 'node:zlib';

const GENERATOR_VERSION = 1;
const HERE = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const opts = { out: join(HERE, 'data'), scale: 1, seed: '20260609' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--out') opts.out = resolve(value());
    else if (a === '--scale') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || n > 10000) usage('--scale must be a whole number from 1 to 10000');
      opts.scale = n;
    } else if (a === '--seed') opts.seed = value();
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument ${JSON.stringify(a)}`);
  }
  return opts;
}

function usage(problem) {
  const text = 'usage: node examples/hijack/generate.mjs [--out DIR] [--scale N] [--seed S]';
  if (problem) {
    process.stderr.write(`generate: ${problem}\n${text}\n`);
    process.exit(2);
  }
  process.stdout.write(text + '\n');
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness: a 32-bit string hash picks the state of a mulberry32 stream per purpose.

function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX4 = Array.from({ length: 65536 }, (_, v) => v.toString(16).padStart(4, '0'));

class Rng {
  constructor(seed, ...parts) {
    this.s = hash32([String(seed), ...parts].join('|'));
  }
  /** Next 32 random bits. */
  u32() {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform in [0, 1). */
  next() {
    return this.u32() / 4294967296;
  }
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p) {
    return this.next() < p;
  }
  /** Exponential waiting time with the given mean. */
  exp(mean) {
    return -Math.log(1 - this.next()) * mean;
  }
  hex(n) {
    let out = '';
    while (out.length < n) {
      const v = this.u32();
      out += HEX4[v & 0xffff] + HEX4[v >>> 16];
    }
    return out.length === n ? out : out.slice(0, n);
  }
  b32(n) {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.u32() & 31];
    return out;
  }
  /** Fisher-Yates sample of k distinct items. */
  sample(items, k) {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  }
}

// ---------------------------------------------------------------------------------------------
// Time: integer milliseconds since the epoch, UTC. Formatting never depends on the locale.

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY0 = Date.UTC(2026, 5, 8); // Monday 8 June 2026, 00:00 UTC
const DAY1 = Date.UTC(2026, 5, 9);
const SPAN_END = Date.UTC(2026, 5, 10);
const HOURS = (SPAN_END - DAY0) / HOUR;
const BERLIN_OFFSET = 2 * HOUR; // CEST

/** `hh:mm:ss(.mmm)` on 9 June 2026 (UTC) as milliseconds. */
function at(clock, day = DAY1) {
  const [h, m, s] = clock.split(':');
  return day + Number(h) * HOUR + Number(m) * MINUTE + Math.round(Number(s) * 1000);
}
const atDay0 = (clock) => at(clock, DAY0);

const isoUtc = (ms) => new Date(ms).toISOString();
const isoBerlin = (ms) => new Date(ms + BERLIN_OFFSET).toISOString().replace('Z', '+02:00');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n) => String(n).padStart(2, '0');
function syslogStamp(ms) {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}
function clfStamp(ms) {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

// ---------------------------------------------------------------------------------------------
// Output: buffered writers; the gzip writer deflates with fixed Huffman codes.

class FileWriter {
  constructor(path) {
    this.path = path;
    this.fd = openSync(path, 'w');
    this.parts = [];
    this.pending = 0;
    this.bytes = 0;
    this.lines = 0;
  }
  /** One line: text, or raw bytes (a damaged line). */
  line(text) {
    this.lines++;
    if (typeof text !== 'string') {
      this.flush();
      this.sink(Buffer.concat([text, Buffer.from('\n')]));
      return;
    }
    this.parts.push(text);
    this.pending += text.length + 1;
    if (this.pending >= 1 << 20) this.flush();
  }
  flush() {
    if (this.pending === 0) return;
    const buf = Buffer.from(this.parts.join('\n') + '\n', 'utf8');
    this.parts = [];
    this.pending = 0;
    this.sink(buf);
  }
  sink(buf) {
    writeSync(this.fd, buf);
    this.bytes += buf.length;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf, crc) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(buf, crc);
  let c = ~crc >>> 0;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

// Fixed Huffman tables (RFC 1951, 3.2.6), codes bit-reversed for an LSB-first bit stream.
const LIT_CODE = new Uint16Array(288);
const LIT_LEN = new Uint8Array(288);
const DIST_CODE = new Uint8Array(30);
(() => {
  const reverse = (code, len) => {
    let r = 0;
    for (let i = 0; i < len; i++) r = (r << 1) | ((code >>> i) & 1);
    return r;
  };
  for (let v = 0; v < 288; v++) {
    let code;
    let len;
    if (v < 144) [code, len] = [0x30 + v, 8];
    else if (v < 256) [code, len] = [0x190 + v - 144, 9];
    else if (v < 280) [code, len] = [v - 256, 7];
    else [code, len] = [0xc0 + v - 280, 8];
    LIT_CODE[v] = reverse(code, len);
    LIT_LEN[v] = len;
  }
  for (let d = 0; d < 30; d++) DIST_CODE[d] = reverse(d, 5);
})();
const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const LEN_SYMBOL = new Uint8Array(259); // length -> index into LEN_BASE
const DIST_SYMBOL = new Uint8Array(32769); // distance -> index into DIST_BASE
for (let i = 0; i < LEN_BASE.length; i++) for (let l = LEN_BASE[i]; l < (LEN_BASE[i + 1] ?? 259); l++) LEN_SYMBOL[l] = i;
LEN_SYMBOL[258] = 28;
for (let i = 0; i < DIST_BASE.length; i++) for (let d = DIST_BASE[i]; d < (DIST_BASE[i + 1] ?? 32769); d++) DIST_SYMBOL[d] = i;

const WINDOW = 32768;
const HASH_BITS = 16;
const MAX_CHAIN = 8;

class GzipWriter extends FileWriter {
  constructor(path) {
    super(path);
    this.rawBytes = 0;
    this.crc = 0;
    this.history = Buffer.alloc(0);
    this.out = Buffer.alloc(1 << 21);
    this.outPos = 0;
    this.bitBuf = 0;
    this.bitCount = 0;
    // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown): nothing machine-specific.
    super.sink(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]));
  }
  sink(raw) {
    this.rawBytes += raw.length;
    this.crc = crc32(raw, this.crc);
    this.deflateBlock(raw, false);
  }
  close() {
    this.flush();
    this.deflateBlock(Buffer.alloc(0), true);
    this.alignToByte();
    this.drain();
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.rawBytes % 4294967296, 4);
    FileWriter.prototype.sink.call(this, trailer);
    closeSync(this.fd);
  }
  bits(value, count) {
    this.bitBuf |= value << this.bitCount;
    this.bitCount += count;
    while (this.bitCount >= 8) {
      this.out[this.outPos++] = this.bitBuf & 0xff;
      this.bitBuf >>>= 8;
      this.bitCount -= 8;
    }
  }
  alignToByte() {
    if (this.bitCount > 0) this.out[this.outPos++] = this.bitBuf & 0xff;
    this.bitBuf = 0;
    this.bitCount = 0;
  }
  drain() {
    if (this.outPos > 0) FileWriter.prototype.sink.call(this, Buffer.from(this.out.subarray(0, this.outPos)));
    this.outPos = 0;
  }
  literal(v) {
    this.bits(LIT_CODE[v], LIT_LEN[v]);
  }
  /** One fixed-Huffman block over `raw`, matching back into the previous 32 KiB. */
  deflateBlock(raw, final) {
    this.bits(final ? 1 : 0, 1);
    this.bits(1, 2); // BTYPE 01: fixed Huffman codes
    const hist = this.history;
    const buf = hist.length ? Buffer.concat([hist, raw]) : raw;
    const n = buf.length;
    const head = new Int32Array(1 << HASH_BITS).fill(-1);
    const prev = new Int32Array(n);
    const hashAt = (i) => (Math.imul((buf[i] << 24) | (buf[i + 1] << 16) | (buf[i + 2] << 8) | buf[i + 3], 0x9e3779b1) >>> (32 - HASH_BITS));
    const insert = (i) => {
      if (i + 4 > n) return;
      const h = hashAt(i);
      prev[i] = head[h];
      head[h] = i;
    };
    for (let i = 0; i < hist.length; i++) insert(i);
    let i = hist.length;
    while (i < n) {
      if (this.outPos > this.out.length - 64) this.drain();
      let bestLen = 0;
      let bestDist = 0;
      if (i + 4 <= n) {
        const h = hashAt(i);
        let cand = head[h];
        let chain = MAX_CHAIN;
        const maxLen = Math.min(258, n - i);
        while (cand >= 0 && i - cand <= WINDOW && chain-- > 0) {
          if (buf[cand + bestLen] === buf[i + bestLen]) {
            let l = 0;
            while (l < maxLen && buf[cand + l] === buf[i + l]) l++;
            if (l > bestLen) {
              bestLen = l;
              bestDist = i - cand;
              if (l === maxLen) break;
            }
          }
          cand = prev[cand];
        }
        prev[i] = head[h];
        head[h] = i;
      }
      if (bestLen >= 4) {
        const ls = LEN_SYMBOL[bestLen];
        this.literal(257 + ls);
        if (LEN_EXTRA[ls]) this.bits(bestLen - LEN_BASE[ls], LEN_EXTRA[ls]);
        const ds = DIST_SYMBOL[bestDist];
        this.bits(DIST_CODE[ds], 5);
        if (DIST_EXTRA[ds]) this.bits(bestDist - DIST_BASE[ds], DIST_EXTRA[ds]);
        // Index the positions inside short matches; long ones only at their end (like zlib's fast levels).
        if (bestLen <= 32) for (let k = 1; k < bestLen; k++) insert(i + k);
        else for (let k = bestLen - 3; k < bestLen; k++) insert(i + k);
        i += bestLen;
      } else {
        this.literal(buf[i]);
        i++;
      }
    }
    this.literal(256); // end of block
    this.history = Buffer.from(buf.subarray(Math.max(0, n - WINDOW)));
    this.drain();
  }
}

// ---------------------------------------------------------------------------------------------
// The platform: networks, clients, users, rooms.

const DOMAIN = 'chat.ministry.example';
const PHISHING_ORIGIN = 'https://chat-ministry-login.example/';

const NET = {
  office: { asn: 64500, as_org: 'GOVNET-EXAMPLE', country: 'DE' },
  mobile: { asn: 64501, as_org: 'MOBILE-CARRIER-EXAMPLE', country: 'DE' },
  cable: { asn: 64502, as_org: 'CABLE-ISP-EXAMPLE', country: 'DE' },
  relay: { asn: 64506, as_org: 'EXAMPLE-VPS-NL', country: 'NL' },
  attacker: { asn: 64510, as_org: 'EXAMPLE-HOSTING-RO', country: 'RO' },
  spray: { asn: 64520, as_org: 'EXAMPLE-CLOUD-US', country: 'US' },
  hotel: { asn: 64530, as_org: 'HOTEL-WIFI-EXAMPLE', country: 'BE' },
  admin: { asn: 64500, as_org: 'GOVNET-EXAMPLE', country: 'DE' },
};

const UA = {
  chromeWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  chromeWin125: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  edgeWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68',
  firefoxWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  iosApp: 'MinistryChat/5.12.1 (iPhone; iOS 17.5.1)',
  androidApp: 'MinistryChat/5.12.0 (Android 14; SM-S911B)',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  httpx: 'python-httpx/0.27.0',
  spray: 'python-requests/2.31.0',
  archiver: 'ComplianceArchiver/2.3 (internal)',
  adminConsole: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 SecOpsConsole/1.8',
};
const DESKTOP_UAS = [UA.chromeWin, UA.chromeWin, UA.chromeWin, UA.chromeWin125, UA.edgeWin, UA.edgeWin, UA.firefoxWin, UA.safariMac];

const SURNAMES = [
  'mueller', 'schmidt', 'schneider', 'fischer', 'weber', 'meyer', 'wagner', 'becker', 'schulz', 'hoffmann', 'koch', 'richter',
  'klein', 'wolf', 'schroeder', 'neumann', 'schwarz', 'braun', 'zimmermann', 'krueger', 'hofmann', 'hartmann', 'lange', 'schmitt',
  'werner', 'krause', 'meier', 'lehmann', 'schmid', 'schulze', 'maier', 'koehler', 'herrmann', 'koenig', 'walter', 'mayer', 'huber',
  'kaiser', 'fuchs', 'peters', 'lang', 'scholz', 'moeller', 'weiss', 'jung', 'hahn', 'schubert', 'vogel', 'friedrich', 'keller',
  'guenther', 'frank', 'berger', 'winkler', 'roth', 'beck', 'lorenz', 'baumann', 'franke', 'albrecht', 'schuster', 'simon', 'ludwig',
  'boehm', 'winter', 'kraus', 'martin', 'schumacher', 'kraemer', 'vogt', 'stein', 'jaeger', 'otto', 'sommer', 'gross', 'seidel',
  'heinrich', 'brandt', 'haas', 'schreiber', 'graf', 'schulte', 'dietrich', 'ziegler', 'kuhn', 'kuehn', 'pohl', 'engel', 'horn',
];
const INITIALS = 'abcdefghijklmnoprstuvwz';
const DEPARTMENTS = ['cabinet', 'press', 'budget', 'legal', 'policy', 'it', 'hr', 'security', 'international', 'digital'];

const VICTIM = 'a.official';
const NAMED = {
  victim: VICTIM,
  chief: 'k.brandt', // chief of staff, the official's most frequent DM partner
  adviser: 'j.weber',
  minister: 's.hartmann',
  traveller: 'm.keller', // signs in from a hotel in Brussels on a new iPad: benign
  secops: 'secops.oncall',
};

/** Named rooms of the official's ministry (tenant 0), with their members. */
function ministryRooms(users, rng) {
  const byDept = (d) => users.filter((u) => u.dept === d).map((u) => u.name);
  const pick = (names, k) => rng.sample(names.filter((n) => !Object.values(NAMED).includes(n)), k);
  const everyone = users.map((u) => u.name);
  const rooms = [];
  const add = (name, visibility, members) => rooms.push({ name, visibility, members: [...new Set(members)].sort() });
  // Public rooms: anyone in the ministry may read them; most people have joined.
  for (const name of ['all-staff', 'press-briefings', 'policy-news', 'it-helpdesk', 'events', 'canteen', 'digital-lab']) {
    add(name, 'public', name === 'all-staff' ? everyone : [VICTIM, NAMED.chief, NAMED.adviser, ...rng.sample(everyone, 120 + rng.int(0, 100))]);
  }
  add('cabinet-prep', 'private', [VICTIM, NAMED.chief, NAMED.adviser, NAMED.minister, ...byDept('cabinet').slice(0, 10)]);
  add('coalition-talks', 'private', [VICTIM, NAMED.chief, NAMED.minister, ...pick(byDept('policy'), 6)]);
  add('budget-2027', 'private', [VICTIM, NAMED.chief, ...byDept('budget').slice(0, 19)]);
  add('press-office-internal', 'private', [VICTIM, NAMED.adviser, ...byDept('press').slice(0, 10)]);
  add('security-briefing', 'private', [VICTIM, NAMED.chief, NAMED.minister, ...byDept('security').slice(0, 7)]);
  add('minister-office', 'private', [NAMED.minister, NAMED.chief, ...pick(byDept('cabinet'), 4)]);
  add('legal-review', 'private', [...byDept('legal').slice(0, 8)]);
  add('hr-cases', 'private', [...byDept('hr').slice(0, 5)]);
  for (const d of DEPARTMENTS) add(`team-${d}`, 'private', byDept(d));
  return rooms;
}

function agencyRooms(code, users, rng) {
  const everyone = users.map((u) => u.name);
  const rooms = [];
  const add = (name, visibility, members) => rooms.push({ name: `${code}-${name}`, visibility, members: [...new Set(members)].sort() });
  add('all-staff', 'public', everyone);
  add('announcements', 'public', rng.sample(everyone, 150));
  add('helpdesk', 'public', rng.sample(everyone, 120));
  add('leadership', 'private', rng.sample(everyone, 12));
  add('projects', 'private', rng.sample(everyone, 40));
  for (const d of DEPARTMENTS) add(`team-${d}`, 'private', users.filter((u) => u.dept === d).map((u) => u.name));
  return rooms;
}

const USERS_PER_TENANT = 300;

function buildTenant(seed, tenant) {
  const rng = new Rng(seed, 'tenant', tenant);
  const code = tenant === 0 ? '' : `a${String(tenant).padStart(2, '0')}`;
  const users = [];
  const taken = new Set();
  const addUser = (name, dept, extra = {}) => {
    taken.add(name);
    users.push({ name, dept, tenant, ...extra });
  };
  if (tenant === 0) {
    addUser(NAMED.victim, 'cabinet', { admin: true });
    addUser(NAMED.chief, 'cabinet');
    addUser(NAMED.adviser, 'press');
    addUser(NAMED.minister, 'cabinet');
    addUser(NAMED.traveller, 'international');
  }
  while (users.length < USERS_PER_TENANT) {
    const base = `${rng.pick([...INITIALS])}.${rng.pick(SURNAMES)}`;
    const name = code ? `${base}.${code}` : base;
    if (taken.has(name) || Object.values(NAMED).includes(name)) continue;
    addUser(name, DEPARTMENTS[users.length % DEPARTMENTS.length]);
  }
  for (const u of users) {
    const r = new Rng(seed, 'user', tenant, u.name);
    u.admin = u.admin || (u.dept === 'it' && r.chance(0.5));
    u.desktopUa = u.dept === 'it' && r.chance(0.3) ? UA.firefoxLinux : r.pick(DESKTOP_UAS);
    u.phoneUa = r.chance(0.6) ? UA.iosApp : UA.androidApp;
    u.laptop = `dev-${r.hex(12)}`;
    u.phone = `dev-${r.hex(12)}`;
    u.officeIp = tenant === 0 ? `192.0.2.${10 + r.int(0, 49)}` : `198.18.${tenant % 256}.${10 + r.int(0, 200)}`;
    u.homeIp = `100.${80 + r.int(0, 15)}.${r.int(0, 255)}.${r.int(1, 254)}`;
    u.mobileIp = `100.${64 + r.int(0, 15)}.${r.int(0, 255)}.${r.int(1, 254)}`;
    u.worksFromHome = r.chance(0.2);
    u.hasPhone = r.chance(0.55);
  }
  const rooms = tenant === 0 ? ministryRooms(users, rng) : agencyRooms(code, users, rng);
  // Direct-message rooms: a few per user, with colleagues (the official's are fixed below).
  const dms = new Map();
  const addDm = (a, b) => {
    const [x, y] = [a, b].sort();
    const name = `dm:${x}+${y}`;
    if (!dms.has(name)) dms.set(name, { name, visibility: 'direct', members: [x, y] });
  };
  if (tenant === 0) for (const p of [NAMED.chief, NAMED.adviser, NAMED.minister]) addDm(VICTIM, p);
  for (const u of users) {
    if (u.name === VICTIM) continue;
    const n = rng.int(1, 4);
    for (let k = 0; k < n; k++) {
      const other = rng.pick(users).name;
      if (other !== u.name && other !== VICTIM) addDm(u.name, other);
    }
  }
  rooms.push(...[...dms.values()].sort((a, b) => (a.name < b.name ? -1 : 1)));
  for (const room of rooms) {
    room.id = `!${new Rng(seed, 'room', tenant, room.name).b32(18)}`;
    room.members_count = room.members.length;
    room.memberSet = new Set(room.members);
  }
  const roomsOf = new Map(users.map((u) => [u.name, { public: [], private: [], direct: [], publicOther: [] }]));
  for (const room of rooms) {
    if (room.visibility === 'public') {
      for (const u of users) (room.memberSet.has(u.name) ? roomsOf.get(u.name).public : roomsOf.get(u.name).publicOther).push(room);
    } else for (const m of room.members) roomsOf.get(m)?.[room.visibility].push(room);
  }
  return { tenant, code, users, rooms, roomsOf, byName: new Map(rooms.map((r) => [r.name, r])) };
}

// ---------------------------------------------------------------------------------------------
// Events. Access events become access-log lines (unless the app logged nothing) and, unless they
// came from an internal service, proxy lines; auth events become auth-log lines and proxy lines.

let sequence = 0;

function accessEvent(t, { user, session, ip, ua }, action, room, rid, eid, extra = {}) {
  const member = room.memberSet.has(user);
  const e = {
    kind: 'access',
    t,
    seq: sequence++,
    user,
    session,
    ip,
    ua,
    action,
    room,
    member,
    awm: !member && room.visibility !== 'public',
    rid,
    eid,
    ...extra,
  };
  return e;
}

function accessLine(e) {
  const o = {
    timestamp: isoBerlin(e.t),
    event_id: e.eid,
    request_id: e.rid,
    actor: { user: e.user, session_id: e.session, ip: e.ip, user_agent: e.ua },
    action: e.action,
    room: { id: e.room.id, name: e.room.name, visibility: e.room.visibility, members_count: e.room.members_count },
    membership: e.member ? 'member' : 'not_member',
    accessed_without_membership: e.awm,
  };
  if (e.action === 'export') {
    o.bytes = e.bytes;
    o.export_format = 'zip';
  }
  if (e.action === 'read') o.messages = e.messages;
  return JSON.stringify(o);
}

function authLine(e) {
  const o = {
    timestamp: isoUtc(e.t),
    event_id: e.eid,
    user: e.user,
    event: e.event,
    outcome: e.outcome,
    reason: e.reason ?? null,
    src_ip: e.ip,
    asn: e.net.asn,
    as_org: e.net.as_org,
    country: e.net.country,
    user_agent: e.ua,
    device_id: e.device ?? null,
    session_id: e.session ?? null,
  };
  if (e.event === 'token_refresh') o.parent_session_id = e.parent;
  if (e.event === 'mfa') o.mfa_method = e.method ?? 'push';
  if (e.initiatedBy) o.initiated_by = e.initiatedBy;
  return JSON.stringify(o);
}

function authEvent(t, user, event, outcome, client, rng, extra = {}) {
  return { kind: 'auth', t, seq: sequence++, user, event, outcome, ip: client.ip, net: client.net, ua: client.ua, device: client.device, eid: `au-${rng.hex(16)}`, ...extra };
}

const PROXIES = ['proxy-1', 'proxy-2'];
const SKEW_MS = { 'proxy-1': 0, 'proxy-2': 217_000 };

/** One proxy line; `t` is the true time the request completed. */
function proxyRecord(t, host, ip, method, path, status, bytes, referer, ua, rid) {
  return { kind: 'proxy', t, seq: sequence++, host, ip, method, path, status, bytes, referer, ua, rid };
}

function proxyLine(p) {
  const local = p.t + SKEW_MS[p.host];
  return `${syslogStamp(local)} ${p.host} nginx: ${p.ip} - - [${clfStamp(local)}] "${p.method} ${p.path} HTTP/1.1" ${p.status} ${p.bytes} "${p.referer}" "${p.ua}" rid=${p.rid}`;
}

function roomPath(e) {
  switch (e.action) {
    case 'read':
      return ['GET', `/_api/v3/rooms/${e.room.id}/messages?limit=50`];
    case 'send':
      return ['POST', `/_api/v3/rooms/${e.room.id}/send`];
    case 'join':
      return ['POST', `/_api/v3/rooms/${e.room.id}/join`];
    case 'export':
      return ['GET', `/_api/v3/rooms/${e.room.id}/export?format=zip`];
    case 'admin':
      return ['GET', `/_api/v3/admin/rooms/${e.room.id}/members`];
    default:
      throw new Error(`no path for ${e.action}`);
  }
}

function responseBytes(e, rng) {
  switch (e.action) {
    case 'read':
      return 900 + e.messages * rng.int(180, 900);
    case 'export':
      return e.bytes;
    case 'admin':
      return 600 + e.room.members_count * 96;
    default:
      return rng.int(90, 260);
  }
}

/** Proxy line(s) for access events that share one request (a batch is one POST). */
function proxyForRequest(events, host, rng, latencyMs, batch = events.length > 1) {
  const first = events[0];
  const t = first.t + latencyMs;
  const referer = `https://${DOMAIN}/`;
  if (batch) {
    const bytes = events.reduce((a, e) => a + responseBytes(e, rng), 0) + 64;
    return proxyRecord(t, host, first.ip, 'POST', '/_api/v3/batch', 200, bytes, referer, first.ua, first.rid);
  }
  const [method, path] = roomPath(first);
  return proxyRecord(t, host, first.ip, method, path, 200, responseBytes(first, rng), first.action === 'export' ? '-' : referer, first.ua, first.rid);
}

const AUTH_PATHS = { signin: '/_api/v3/auth/login', mfa: '/_api/v3/auth/mfa', token_refresh: '/_api/v3/auth/refresh', signout: '/_api/v3/auth/logout', password_change: '/_api/v3/account/password' };

function proxyForAuth(e, host, rng, referer = `https://${DOMAIN}/login`) {
  if (e.initiatedBy) {
    return proxyRecord(e.t + rng.int(20, 200), host, e.ip, 'POST', `/_api/v3/admin/users/${e.user}/sessions/revoke`, 200, 212, `https://${DOMAIN}/admin`, e.ua, rng.hex(16));
  }
  const status = e.outcome === 'success' ? 200 : e.reason === 'unknown_user' ? 404 : 401;
  return proxyRecord(e.t + rng.int(20, 400), host, e.ip, 'POST', AUTH_PATHS[e.event], status, status === 200 ? rng.int(380, 900) : rng.int(60, 140), referer, e.ua, rng.hex(16));
}

// ---------------------------------------------------------------------------------------------
// Scripted stories: the official, the intruder, the password spray, the traveller.

/** Everything about the official and the intruder, independent of --scale. */
function scriptedStories(seed, ministry) {
  const rng = new Rng(seed, 'story');
  const ids = new Rng(seed, 'story-ids');
  const room = (name) => {
    const r = ministry.byName.get(name);
    if (!r) throw new Error(`no room ${name}`);
    return r;
  };
  const dmWith = (other) => room(`dm:${[VICTIM, other].sort().join('+')}`);
  const victimUser = ministry.users.find((u) => u.name === VICTIM);
  victimUser.officeIp = '192.0.2.17';
  victimUser.mobileIp = '100.64.38.211';
  victimUser.desktopUa = UA.chromeWin;
  victimUser.phoneUa = UA.iosApp;
  const victimRooms = ministry.roomsOf.get(VICTIM);

  const client = {
    laptopOffice: { ip: '192.0.2.17', net: NET.office, ua: UA.chromeWin, device: victimUser.laptop },
    laptopHotspot: { ip: '100.64.52.9', net: NET.mobile, ua: UA.chromeWin, device: victimUser.laptop },
    phone: { ip: '100.64.38.211', net: NET.mobile, ua: UA.iosApp, device: victimUser.phone },
    relay: { ip: '203.0.113.66', net: NET.relay, ua: UA.chromeWin, device: `dev-${ids.hex(12)}` },
    attackerBrowser: { ip: '203.0.113.200', net: NET.attacker, ua: UA.firefoxLinux, device: `dev-${ids.hex(12)}` },
    attackerBrowser2: null,
    attackerScript: { ip: '203.0.113.200', net: NET.attacker, ua: UA.httpx, device: null },
    attackerScript2: null,
    admin: { ip: '192.0.2.44', net: NET.admin, ua: UA.adminConsole, device: null },
  };
  client.attackerBrowser2 = { ...client.attackerBrowser, ip: '203.0.113.201' };
  client.attackerScript2 = { ...client.attackerScript, ip: '203.0.113.201' };

  const sid = () => `s-${ids.b32(20)}`;
  const access = [];
  const auth = [];
  const proxy = [];
  const actorOf = (c, session) => ({ user: VICTIM, session, ip: c.ip, ua: c.ua });
  const who = new Map(); // access event -> 'victim' | 'attacker'

  const doAccess = (party, t, c, session, action, rooms, extra = {}) => {
    const rid = ids.hex(16);
    const list = (Array.isArray(rooms) ? rooms : [rooms]).map((r, k) =>
      accessEvent(t + k * 7, actorOf(c, session), action, r, rid, `ev-${ids.hex(16)}`, { messages: action === 'read' ? rng.int(5, 50) : undefined, bytes: extra.bytes }),
    );
    for (const e of list) who.set(e, party);
    access.push(...list);
    const host = extra.host ?? (rng.chance(0.5) ? 'proxy-1' : 'proxy-2');
    proxy.push(proxyForRequest(list, host, rng, rng.int(8, 420), extra.batch ?? list.length > 1));
    return list;
  };
  const doAuth = (t, event, outcome, c, extra = {}, referer) => {
    const e = authEvent(t, VICTIM, event, outcome, c, ids, extra);
    auth.push(e);
    proxy.push(proxyForAuth(e, rng.chance(0.5) ? 'proxy-1' : 'proxy-2', rng, referer));
    return e;
  };
  const sync = (party, from, to, c, meanGapMs) => {
    for (let t = from + rng.exp(meanGapMs); t < to; t += rng.exp(meanGapMs)) {
      const host = rng.chance(0.5) ? 'proxy-1' : 'proxy-2';
      proxy.push(proxyRecord(Math.round(t), host, c.ip, 'GET', `/_api/v3/sync?since=${Math.round(t / 1000) - 30}&timeout=30000`, 200, rng.int(200, 2400), `https://${DOMAIN}/`, c.ua, ids.hex(16)));
    }
  };
  /** Ordinary reading and writing by the official in a session over [from, to). */
  const organic = (party, from, to, c, session, perHour, prefer = {}) => {
    const pools = [
      [victimRooms.public, prefer.public ?? 0.3],
      [victimRooms.private, prefer.private ?? 0.45],
      [victimRooms.direct, prefer.direct ?? 0.25],
    ];
    for (let t = from + rng.exp(HOUR / perHour); t < to; t += rng.exp(HOUR / perHour)) {
      let u = rng.next();
      let pool = pools[0][0];
      for (const [p, w] of pools) {
        if (u < w) {
          pool = p;
          break;
        }
        u -= w;
      }
      const r = rng.pick(pool);
      const action = r.visibility === 'direct' && rng.chance(0.35) ? 'send' : rng.chance(0.1) ? 'send' : 'read';
      doAccess(party, Math.round(t), c, session, action, r);
    }
  };

  // ---- Day 1 (Monday): the official's ordinary day — the baseline.
  {
    const p1 = sid();
    doAuth(atDay0('05:48:02.114'), 'signin', 'success', client.phone, { session: p1 });
    doAuth(atDay0('05:48:19.530'), 'mfa', 'success', client.phone, { session: p1, method: 'push' });
    organic('victim', atDay0('05:48:30'), atDay0('06:20:00'), client.phone, p1, 5, { public: 0.2, private: 0.2, direct: 0.6 });
    const p1b = sid();
    doAuth(atDay0('18:05:11.021'), 'token_refresh', 'success', client.phone, { session: p1b, parent: p1 });
    organic('victim', atDay0('18:05:20'), atDay0('18:52:00'), client.phone, p1b, 6, { public: 0.2, private: 0.2, direct: 0.6 });

    let s = sid();
    doAuth(atDay0('06:02:11.870'), 'signin', 'success', client.laptopOffice, { session: s });
    doAuth(atDay0('06:02:30.412'), 'mfa', 'success', client.laptopOffice, { session: s, method: 'push' });
    let from = atDay0('06:02:40');
    for (const refresh of ['06:54:12.301', '07:47:55.090', '08:41:03.655', '09:33:48.201', '10:26:30.777', '11:19:02.456', '12:12:44.009', '13:05:31.318', '13:58:07.664', '14:51:20.130', '15:44:09.912']) {
      const t = atDay0(refresh);
      organic('victim', from, t, client.laptopOffice, s, 9);
      const child = sid();
      doAuth(t, 'token_refresh', 'success', client.laptopOffice, { session: child, parent: s });
      s = child;
      from = t;
    }
    organic('victim', from, atDay0('16:31:00'), client.laptopOffice, s, 9);
    doAuth(atDay0('16:31:40.505'), 'signout', 'success', client.laptopOffice, { session: s, reason: 'user' });
    sync('victim', atDay0('06:02:40'), atDay0('16:31:00'), client.laptopOffice, 20 * MINUTE);
  }

  // ---- Day 2 (Tuesday): phone at breakfast, then the phishing sign-in at the office.
  const phoneSessions = [];
  {
    const p2 = sid();
    doAuth(at('05:41:03.552'), 'signin', 'success', client.phone, { session: p2 });
    doAuth(at('05:41:21.004'), 'mfa', 'success', client.phone, { session: p2, method: 'push' });
    organic('victim', at('05:41:30'), at('06:05:00'), client.phone, p2, 6, { public: 0.2, private: 0.2, direct: 0.6 });
    const p3 = sid();
    doAuth(at('08:14:02.318'), 'token_refresh', 'success', client.phone, { session: p3, parent: p2 });
    organic('victim', at('08:14:10'), at('08:21:00'), client.phone, p3, 12, { public: 0.1, private: 0.1, direct: 0.8 });
    const p4 = sid();
    doAuth(at('09:34:50.771'), 'token_refresh', 'success', client.phone, { session: p4, parent: p3 });
    organic('victim', at('09:35:00'), at('09:40:30'), client.phone, p4, 12, { public: 0.1, private: 0.1, direct: 0.8 });
    phoneSessions.push(p2, p3, p4);
  }

  // Phishing: the official follows a link to a relay that forwards to the real sign-in page.
  const S1 = sid();
  const relay = client.relay;
  const phishReferer = PHISHING_ORIGIN;
  doAuth(at('07:35:12.310'), 'signin', 'failure', relay, { reason: 'bad_password' }, phishReferer);
  doAuth(at('07:35:41.902'), 'signin', 'success', relay, { session: S1 }, phishReferer);
  doAuth(at('07:35:58.118'), 'mfa', 'success', relay, { session: S1, method: 'push' }, phishReferer);

  // Session lineage: the official's client and the intruder's both refresh S1.
  const V2 = sid();
  const V3 = sid();
  const V4 = sid();
  const A2 = sid();
  const A3 = sid();
  const A4 = sid();
  const lineageEdges = [];
  const refresh = (t, c, parent, child, party) => {
    doAuth(t, 'token_refresh', 'success', c, { session: child, parent });
    lineageEdges.push({ parent, child, by: party, at: isoUtc(t) });
  };

  // The official, carrying on as usual (S1 stays open in a second tab until about 08:58).
  const O = client.laptopOffice;
  const H = client.laptopHotspot;
  doAccess('victim', at('07:36:52.118'), O, S1, 'read', room('coalition-talks'));
  organic('victim', at('07:37:00'), at('08:58:00'), O, S1, 10);
  doAccess('victim', at('07:58:12.640'), O, S1, 'read', dmWith(NAMED.chief));
  doAccess('victim', at('08:02:40.077'), O, S1, 'read', room('press-office-internal'));
  doAccess('victim', at('08:05:33.912'), O, S1, 'export', room('press-office-internal'), { bytes: 4_201_472 });
  doAccess('victim', at('08:12:05.331'), O, S1, 'read', room('security-briefing'));
  doAccess('victim', at('08:15:30.480'), O, S1, 'send', dmWith(NAMED.chief));
  doAccess('victim', at('08:47:10.222'), O, S1, 'read', dmWith(NAMED.minister));
  refresh(at('08:24:40.615'), O, S1, V2, 'victim');
  organic('victim', at('08:24:50'), at('09:09:20'), O, V2, 8);
  doAccess('victim', at('08:52:00.741'), O, V2, 'read', room('cabinet-prep'));
  doAccess('victim', at('09:02:13.096'), O, V2, 'read', dmWith(NAMED.adviser));
  refresh(at('09:09:20.388'), O, V2, V3, 'victim');
  organic('victim', at('09:09:30'), at('09:25:00'), O, V3, 8);
  // To a meeting: the laptop tethers to the official's phone (new IP, the phone's carrier).
  organic('victim', at('09:27:00'), at('09:54:10'), H, V3, 8);
  doAccess('victim', at('09:31:44.517'), H, V3, 'read', room('budget-2027'));
  doAccess('victim', at('09:40:02.903'), H, V3, 'read', dmWith(NAMED.chief));
  refresh(at('09:54:10.247'), H, V3, V4, 'victim');
  organic('victim', at('09:54:20'), at('09:58:30'), H, V4, 8);
  organic('victim', at('10:00:30'), at('10:13:59'), O, V4, 8);
  doAccess('victim', at('10:05:19.664'), O, V4, 'read', room('cabinet-prep'));
  sync('victim', at('07:36:00'), at('09:25:00'), O, 20 * MINUTE);
  sync('victim', at('09:27:00'), at('09:58:30'), H, 20 * MINUTE);
  sync('victim', at('10:00:30'), at('10:14:00'), O, 20 * MINUTE);

  // The intruder replays S1 from a hosting provider with a different browser, and a script for exports.
  const B = client.attackerBrowser;
  const B2 = client.attackerBrowser2;
  const X = client.attackerScript;
  const X2 = client.attackerScript2;
  doAccess('attacker', at('07:52:18.204'), B, S1, 'read', room('all-staff'));
  doAccess('attacker', at('07:53:40.551'), B, S1, 'read', room('press-briefings'));
  doAccess('attacker', at('07:55:02.930'), B, S1, 'read', room('cabinet-prep'));
  doAccess('attacker', at('07:57:31.418'), B, S1, 'read', room('cabinet-prep'));
  doAccess('attacker', at('07:59:10.007'), B, S1, 'read', room('coalition-talks'));
  doAccess('attacker', at('08:03:27.764'), B, S1, 'admin', room('minister-office'));
  doAccess('attacker', at('08:04:05.129'), B, S1, 'read', room('minister-office'));
  doAccess('attacker', at('08:06:44.583'), B, S1, 'read', room('minister-office'));
  doAccess('attacker', at('08:10:12.355'), B, S1, 'read', [room('policy-news'), room('budget-2027')]);
  doAccess('attacker', at('08:20:03.861'), X, S1, 'export', room('cabinet-prep'), { bytes: 18_734_912 });
  doAccess('attacker', at('08:26:50.214'), B, S1, 'read', room('coalition-talks'));
  refresh(at('08:31:07.442'), B, S1, A2, 'attacker');
  doAccess('attacker', at('08:33:15.808'), B, A2, 'read', room('budget-2027'));
  doAccess('attacker', at('08:36:02.671'), B, A2, 'read', room('coalition-talks'));
  doAccess('attacker', at('08:38:44.019'), B, A2, 'read', room('press-briefings'));
  // Inside the access log's gap (08:40-09:00): batched reads the access log never recorded.
  const hiddenBatches = [
    ['08:41:10.530', [dmWith(NAMED.chief), dmWith(NAMED.minister)]],
    ['08:44:55.102', [room('security-briefing'), room('cabinet-prep')]],
    ['08:49:30.876', [dmWith(NAMED.chief)]],
    ['08:53:12.449', [room('security-briefing')]],
  ];
  for (const [clock, rooms] of hiddenBatches) doAccess('attacker', at(clock), B, A2, 'read', rooms, { batch: true, host: 'proxy-2' });
  doAccess('attacker', at('09:05:37.290'), X, S1, 'export', room('coalition-talks'), { bytes: 9_412_608 });
  doAccess('attacker', at('09:11:20.944'), B, A2, 'read', room('budget-2027'));
  refresh(at('09:16:44.120'), B, A2, A3, 'attacker');
  doAccess('attacker', at('09:22:08.613'), B2, A3, 'read', room('budget-2027'));
  doAccess('attacker', at('09:30:51.377'), B2, A3, 'read', room('all-staff'));
  doAccess('attacker', at('09:41:12.050'), B2, A3, 'read', room('cabinet-prep'));
  doAccess('attacker', at('09:48:26.725'), X2, A3, 'export', room('budget-2027'), { bytes: 12_603_392 });
  refresh(at('10:01:30.906'), B2, A3, A4, 'attacker');
  doAccess('attacker', at('10:03:02.482'), B2, A4, 'read', room('press-briefings'));
  doAccess('attacker', at('10:07:45.199'), B2, A4, 'read', room('coalition-talks'));
  // Served by proxy-2, whose clock runs 3m37s ahead: their stamps fall after the revocation.
  doAccess('attacker', at('10:11:06.318'), B2, A4, 'read', room('cabinet-prep'), { host: 'proxy-2' });
  doAccess('attacker', at('10:13:21.540'), B2, A4, 'read', room('budget-2027'), { host: 'proxy-2' });
  sync('attacker', at('07:52:30'), at('09:20:00'), B, 6 * MINUTE);
  sync('attacker', at('09:20:30'), at('10:13:40'), B2, 6 * MINUTE);

  // Containment: the security on-call revokes every session of the official.
  const revokedAt = at('10:14:00.000');
  const revoked = [...phoneSessions, S1, V2, V3, V4, A2, A3, A4];
  for (const [k, s] of revoked.entries()) {
    doAuth(revokedAt + k, 'signout', 'success', client.admin, { session: s, reason: 'admin_revoke', initiatedBy: NAMED.secops });
  }
  // The intruder's browser is refused from then on.
  const denied = [
    ['10:14:20.118', 'GET', `/_api/v3/rooms/${room('coalition-talks').id}/messages?limit=50`],
    ['10:14:51.640', 'GET', `/_api/v3/sync?since=${Math.round(at('10:14:21') / 1000)}&timeout=30000`],
    ['10:15:30.502', 'GET', `/_api/v3/rooms/${room('cabinet-prep').id}/messages?limit=50`],
  ];
  for (const [clock, method, path] of denied) {
    proxy.push(proxyRecord(at(clock), clock === '10:14:20.118' ? 'proxy-2' : 'proxy-1', B2.ip, method, path, 401, 87, `https://${DOMAIN}/`, B2.ua, ids.hex(16)));
  }
  doAuth(at('10:15:02.377'), 'token_refresh', 'failure', B2, { reason: 'session_revoked', parent: A4 });
  // With the password from the phishing page, the intruder tries to sign in again; MFA is refused.
  doAuth(at('10:20:09.015'), 'mfa', 'failure', B2, { reason: 'push_denied', method: 'push' });
  doAuth(at('10:20:10.262'), 'signin', 'failure', B2, { reason: 'mfa_denied' });

  // The official signs in again and changes the password.
  const N1 = sid();
  doAuth(at('10:21:30.640'), 'signin', 'success', O, { session: N1 });
  doAuth(at('10:21:49.118'), 'mfa', 'success', O, { session: N1, method: 'push' });
  doAuth(at('10:23:05.902'), 'password_change', 'success', O, { session: N1 });
  let s = N1;
  let from = at('10:23:10');
  for (const clock of ['11:16:02.517', '12:08:41.330', '13:01:19.047', '13:55:36.802', '14:48:10.163', '15:40:58.710']) {
    const t = at(clock);
    organic('victim', from, t, O, s, 9);
    const child = sid();
    doAuth(t, 'token_refresh', 'success', O, { session: child, parent: s });
    s = child;
    from = t;
  }
  organic('victim', from, at('16:12:00'), O, s, 9);
  doAuth(at('16:12:31.550'), 'signout', 'success', O, { session: s, reason: 'user' });
  sync('victim', at('10:23:10'), at('16:12:00'), O, 20 * MINUTE);

  return {
    access,
    auth,
    proxy,
    who,
    facts: { S1, V2, V3, V4, A2, A3, A4, N1, phoneSessions, lineageEdges, client, revokedAt, hiddenBatches: hiddenBatches.map(([c, rooms]) => ({ at: isoUtc(at(c)), rooms: rooms.map((r) => r.name) })) },
  };
}

/** A password spray against the ministry at night, from a cloud provider. */
function passwordSpray(seed, ministry) {
  const rng = new Rng(seed, 'spray');
  const ip = '198.51.100.23';
  const out = { auth: [], proxy: [] };
  const targets = rng.sample(ministry.users.map((u) => u.name).filter((n) => n !== VICTIM), 52);
  targets.push('admin', 'test', 'administrator', 'helpdesk', 'it.support', 'postmaster');
  let t = at('02:10:04.000');
  for (const user of targets) {
    t += rng.int(4_000, 22_000);
    const known = ministry.users.some((u) => u.name === user);
    const e = authEvent(t, user, 'signin', 'failure', { ip, net: NET.spray, ua: UA.spray, device: null }, rng, { reason: known ? 'bad_password' : 'unknown_user' });
    out.auth.push(e);
    out.proxy.push(proxyForAuth(e, rng.chance(0.5) ? 'proxy-1' : 'proxy-2', rng, '-'));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Background: every other user of every tenant, planned per day, generated hour by hour.

function planSessions(seed, tenantData) {
  const plans = [];
  for (const [ui, u] of tenantData.users.entries()) {
    if (u.tenant === 0 && u.name === VICTIM) continue;
    for (const [di, day] of [DAY0, DAY1].entries()) {
      const r = new Rng(seed, 'plan', u.tenant, u.name, di);
      // The traveller is on the road on the incident day, with one device all day.
      const travelling = u.tenant === 0 && u.name === NAMED.traveller && di === 1;
      const works = r.chance(0.9);
      if (works || travelling) {
        const start = travelling ? day + 6 * HOUR + 50 * MINUTE + 12_345 : day + 4 * HOUR + 30 * MINUTE + Math.round(r.next() * 3.5 * HOUR);
        const end = start + Math.round((6 + r.next() * 4) * HOUR);
        const home = u.worksFromHome && r.chance(0.7);
        let c = home
          ? { ip: u.homeIp, net: NET.cable, ua: u.desktopUa, device: u.laptop }
          : { ip: u.officeIp, net: NET.office, ua: u.desktopUa, device: u.laptop };
        if (travelling) c = { ip: '198.51.100.140', net: NET.hotel, ua: UA.ipad, device: `dev-${r.hex(12)}` };
        // Some laptops move between office and home within one session (same browser, new network).
        const switchAt = !travelling && r.chance(0.06) ? start + Math.round(r.next() * (end - start)) : null;
        const switchTo = home ? { ...c, ip: u.officeIp, net: NET.office } : { ...c, ip: u.homeIp, net: NET.cable };
        plans.push(makePlan(seed, u, ui, di, 0, start, end, c, r, switchAt, switchTo, 2.2));
      }
      if (u.hasPhone && r.chance(0.35) && !travelling) {
        const start = day + 16 * HOUR + Math.round(r.next() * 4 * HOUR);
        const end = start + Math.round((0.3 + r.next() * 1.2) * HOUR);
        const c = { ip: u.mobileIp, net: NET.mobile, ua: u.phoneUa, device: u.phone };
        plans.push(makePlan(seed, u, ui, di, 1, start, end, c, r, null, null, 3));
      }
    }
  }
  return plans;
}

function makePlan(seed, u, ui, di, si, start, end, client, r, switchAt, switchTo, rate) {
  const idr = new Rng(seed, 'plan-ids', u.tenant, u.name, di, si);
  const sessions = [{ from: start, id: `s-${idr.b32(20)}` }];
  for (let t = start + Math.round((60 + r.next() * 30) * MINUTE); t < end; t += Math.round((60 + r.next() * 30) * MINUTE)) {
    sessions.push({ from: t, id: `s-${idr.b32(20)}` });
  }
  return {
    user: u,
    key: [u.tenant, u.name, di, si].join('|'),
    start,
    end,
    client,
    switchAt,
    switchTo,
    sessions,
    preFailAt: r.chance(0.04) ? start - 12_000 - Math.round(r.next() * 38_000) : null,
    mfaFail: r.chance(0.015),
    signout: r.chance(0.6),
    rate,
  };
}

function clientAt(plan, t) {
  return plan.switchAt !== null && t >= plan.switchAt ? plan.switchTo : plan.client;
}

function sessionAt(plan, t) {
  let id = plan.sessions[0].id;
  for (const s of plan.sessions) if (s.from <= t) id = s.id;
  return id;
}

/** Background events of one plan within one hour. */
function planHour(seed, plan, tenantData, hourStart, out) {
  const hourEnd = hourStart + HOUR;
  if (plan.end <= hourStart || plan.start >= hourEnd) return;
  const rng = new Rng(seed, 'bg', plan.key, hourStart);
  const u = plan.user;
  const host = () => (rng.chance(0.5) ? 'proxy-1' : 'proxy-2');
  const inHour = (t) => t >= hourStart && t < hourEnd;
  const authOut = (e, referer) => {
    out.auth.push(e);
    out.proxy.push(proxyForAuth(e, host(), rng, referer));
  };
  // Sign-in, MFA, refreshes and sign-out that fall in this hour.
  if (plan.preFailAt !== null && inHour(plan.preFailAt)) authOut(authEvent(plan.preFailAt, u.name, 'signin', 'failure', plan.client, rng, { reason: 'bad_password' }));
  if (inHour(plan.start)) {
    const c = plan.client;
    authOut(authEvent(plan.start, u.name, 'signin', 'success', c, rng, { session: plan.sessions[0].id }));
    if (plan.mfaFail) authOut(authEvent(plan.start + rng.int(8_000, 20_000), u.name, 'mfa', 'failure', c, rng, { session: plan.sessions[0].id, reason: 'timeout', method: 'push' }));
    authOut(authEvent(plan.start + rng.int(21_000, 45_000), u.name, 'mfa', 'success', c, rng, { session: plan.sessions[0].id, method: rng.chance(0.8) ? 'push' : 'totp' }));
    out.proxy.push(proxyRecord(plan.start + rng.int(1_000, 4_000), host(), c.ip, 'GET', '/static/app.4f2c19.js', rng.chance(0.7) ? 200 : 304, 412_907, `https://${DOMAIN}/`, c.ua, rng.hex(16)));
  }
  for (let k = 1; k < plan.sessions.length; k++) {
    const s = plan.sessions[k];
    if (inHour(s.from)) authOut(authEvent(s.from, u.name, 'token_refresh', 'success', clientAt(plan, s.from), rng, { session: s.id, parent: plan.sessions[k - 1].id }));
  }
  if (plan.signout && inHour(plan.end)) authOut(authEvent(plan.end, u.name, 'signout', 'success', clientAt(plan, plan.end), rng, { session: sessionAt(plan, plan.end), reason: 'user' }));
  // Reading and writing.
  const from = Math.max(hourStart, plan.start + 50_000);
  const to = Math.min(hourEnd, plan.end);
  if (to <= from) return;
  const mine = tenantData.roomsOf.get(u.name);
  for (let t = from + rng.exp(HOUR / plan.rate); t < to; t += rng.exp(HOUR / plan.rate)) {
    const when = Math.round(t);
    const c = clientAt(plan, when);
    const actor = { user: u.name, session: sessionAt(plan, when), ip: c.ip, ua: c.ua };
    const x = rng.next();
    let pool;
    if (x < 0.32) pool = mine.public;
    else if (x < 0.36) pool = mine.publicOther;
    else if (x < 0.78) pool = mine.private;
    else pool = mine.direct;
    if (!pool.length) pool = mine.public;
    const room = rng.pick(pool);
    const y = rng.next();
    let action = 'read';
    const extra = {};
    if (u.admin && y < 0.03) action = 'admin';
    else if (y < 0.04 && room.visibility !== 'public') action = 'read';
    else if (y < 0.055) {
      action = 'export';
      extra.bytes = Math.round(Math.exp(11 + rng.next() * 6));
    } else if (y < 0.08 && !room.memberSet.has(u.name)) action = 'join';
    else if (y < 0.2) action = 'send';
    const rid = rng.hex(16);
    if (action === 'read' && rng.chance(0.12)) {
      const rooms = [room, ...rng.sample(pool, rng.int(1, 3)).filter((r) => r !== room)];
      const list = rooms.map((r, k) => accessEvent(when + k * 5, actor, 'read', r, rid, `ev-${rng.hex(16)}`, { messages: rng.int(3, 50), bg: true }));
      out.access.push(...list);
      out.proxy.push(proxyForRequest(list, host(), rng, rng.int(8, 420)));
    } else {
      const e = accessEvent(when, actor, action, room, rid, `ev-${rng.hex(16)}`, { ...extra, messages: action === 'read' ? rng.int(3, 50) : undefined, bg: true });
      out.access.push(e);
      out.proxy.push(proxyForRequest([e], host(), rng, rng.int(8, 420)));
    }
  }
  // Long-poll sync requests seen only by the proxy.
  for (let t = from + rng.exp(HOUR); t < to; t += rng.exp(HOUR)) {
    const c = clientAt(plan, Math.round(t));
    out.proxy.push(proxyRecord(Math.round(t), host(), c.ip, 'GET', `/_api/v3/sync?since=${Math.round(t / 1000) - 30}&timeout=30000`, 200, rng.int(200, 2400), `https://${DOMAIN}/`, c.ua, rng.hex(16)));
  }
}

/** The compliance archiver reads one room a minute, directly from the app network (no proxy). */
function archiverHour(seed, ministry, hourStart, out) {
  const rng = new Rng(seed, 'archiver', hourStart);
  const actor = { user: 'svc.archiver', session: 's-svc-archiver-0001', ip: '10.20.0.5', ua: UA.archiver };
  for (let m = 0; m < 60; m++) {
    const t = hourStart + m * MINUTE + rng.int(2_000, 57_000);
    const room = rng.pick(ministry.rooms);
    out.access.push(accessEvent(t, actor, 'read', room, rng.hex(16), `ev-${rng.hex(16)}`, { messages: rng.int(0, 40), bg: true, direct: true }));
  }
}

// ---------------------------------------------------------------------------------------------
// The retention gap and the corrupt lines.

const GAP_FROM = at('08:40:00');
const GAP_TO = at('09:00:00');

/** Positions of damaged lines: [file, hour index, which background line in that hour]. */
const DAMAGE = [
  ['auth', 13, 'truncate'],
  ['auth', 33, 'garbage'],
  ['access', 10, 'truncate'],
  ['access', 36, 'garbage'],
  ['access', 40, 'truncate'],
  ['proxy', 15, 'truncate'],
  ['proxy', 36, 'garbage'],
];

function damage(kind, text, rng) {
  if (kind === 'truncate') return text.slice(0, Math.max(12, Math.floor(text.length * (0.3 + rng.next() * 0.5))));
  const bytes = [];
  const n = rng.int(40, 120);
  for (let i = 0; i < n; i++) {
    let b = rng.int(0, 255);
    if (b === 0x0a || b === 0x0d) b = 0x00;
    bytes.push(b);
  }
  return Buffer.from(bytes);
}

// ---------------------------------------------------------------------------------------------
// Main

export function generate({ out, scale = 1, seed = '20260609' }) {
  sequence = 0;
  mkdirSync(out, { recursive: true });
  const tenants = [];
  for (let k = 0; k < scale; k++) tenants.push(buildTenant(seed, k));
  const ministry = tenants[0];
  const story = scriptedStories(seed, ministry);
  const spray = passwordSpray(seed, ministry);
  const plans = tenants.flatMap((t) => planSessions(seed, t).map((p) => ({ p, t })));

  // Scripted events by hour.
  const scripted = Array.from({ length: HOURS }, () => ({ access: [], auth: [], proxy: [] }));
  const hourOf = (t) => Math.floor((t - DAY0) / HOUR);
  const scriptedSet = new Set([...story.access, ...story.auth, ...story.proxy, ...spray.auth, ...spray.proxy]);
  for (const e of story.access) scripted[hourOf(e.t)].access.push(e);
  for (const e of story.auth) scripted[hourOf(e.t)].auth.push(e);
  for (const e of story.proxy) scripted[hourOf(e.t)].proxy.push(e);
  for (const e of spray.auth) scripted[hourOf(e.t)].auth.push(e);
  for (const e of spray.proxy) scripted[hourOf(e.t)].proxy.push(e);

  const files = {
    auth: new FileWriter(join(out, 'auth.jsonl')),
    access: new GzipWriter(join(out, 'access.jsonl.gz')),
    proxy: new FileWriter(join(out, 'proxy.log')),
  };
  const damageRng = new Rng(seed, 'damage');
  const counts = { accessLogged: 0, accessInGap: 0, proxyLines: 0, authLines: 0, corrupt: { auth: 0, access: 0, proxy: 0 } };
  const byTime = (a, b) => a.t - b.t || a.seq - b.seq;
  // Events may spill a few seconds past their hour (latency); carry them over.
  let carry = { access: [], auth: [], proxy: [] };
  for (let h = 0; h < HOURS; h++) {
    const hourStart = DAY0 + h * HOUR;
    const bucket = { access: [...carry.access, ...scripted[h].access], auth: [...carry.auth, ...scripted[h].auth], proxy: [...carry.proxy, ...scripted[h].proxy] };
    for (const { p, t } of plans) planHour(seed, p, t, hourStart, bucket);
    archiverHour(seed, ministry, hourStart, bucket);
    carry = { access: [], auth: [], proxy: [] };
    const nextHour = hourStart + HOUR;
    for (const kind of ['access', 'auth', 'proxy']) {
      const list = bucket[kind];
      const now = [];
      for (const e of list) (e.t >= nextHour && h < HOURS - 1 ? carry[kind] : now).push(e);
      now.sort(byTime);
      const damaged = new Map();
      for (const [file, hour, how] of DAMAGE) {
        if (file !== kind || hour !== h) continue;
        // Only ordinary users' lines: not the scripted stories, not the archiver (whose one line a
        // minute is what makes gaps detectable), not lines the gap removes anyway.
        const candidates = now.map((e, i) => [e, i]).filter(([e]) => !scriptedSet.has(e) && !e.direct && !(kind === 'access' && e.t >= GAP_FROM && e.t < GAP_TO));
        const [, index] = candidates[Math.floor(damageRng.next() * candidates.length)];
        damaged.set(index, how);
      }
      for (const [i, e] of now.entries()) {
        let text;
        if (kind === 'access') {
          if (e.t >= GAP_FROM && e.t < GAP_TO) {
            counts.accessInGap++;
            continue;
          }
          text = accessLine(e);
          counts.accessLogged++;
        } else if (kind === 'auth') {
          text = authLine(e);
          counts.authLines++;
        } else {
          text = proxyLine(e);
          counts.proxyLines++;
        }
        const how = damaged.get(i);
        if (how) {
          files[kind].line(damage(how, text, damageRng));
          counts.corrupt[kind]++;
        } else files[kind].line(text);
      }
    }
  }
  for (const f of Object.values(files)) f.close();

  const truth = groundTruth({ seed, scale, story, ministry, counts, files });
  writeFileSync(join(out, 'ground-truth.json'), JSON.stringify(truth, null, 2) + '\n');
  return truth;
}

// ---------------------------------------------------------------------------------------------
// Ground truth: what really happened, what the logs can show, and the verdict each claim deserves.

function groundTruth({ seed, scale, story, ministry, counts, files }) {
  const f = story.facts;
  const inGap = (e) => e.t >= GAP_FROM && e.t < GAP_TO;
  const attackerAccess = story.access.filter((e) => story.who.get(e) === 'attacker');
  const victimAccess = story.access.filter((e) => story.who.get(e) === 'victim');
  const lineage = [f.S1, f.V2, f.V3, f.V4, f.A2, f.A3, f.A4];
  const lineageSet = new Set(lineage);
  const roomsBy = (events) => {
    const out = { public: new Set(), private: new Set(), direct: new Set() };
    for (const e of events) out[e.room.visibility].add(e.room.name);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
  };
  const visibleAttacker = attackerAccess.filter((e) => !inGap(e));
  const reads = (events) => events.filter((e) => e.action === 'read');
  const exportsOf = (events) =>
    events
      .filter((e) => e.action === 'export')
      .sort((a, b) => a.t - b.t)
      .map((e) => ({ at: isoUtc(e.t), room: e.room.name, visibility: e.room.visibility, bytes: e.bytes, session_id: e.session, ip: e.ip, user_agent: e.ua }));
  const attackerExports = exportsOf(visibleAttacker);
  // The naive reading: everything in the hijacked lineage that the access log shows is the intruder's.
  const naive = story.access.filter((e) => lineageSet.has(e.session) && !inGap(e));
  const naiveExports = exportsOf(naive);
  const c = f.client;
  const firstAccess = visibleAttacker.reduce((a, e) => (e.t < a ? e.t : a), Infinity);
  const lastAccess = visibleAttacker.reduce((a, e) => (e.t > a ? e.t : a), -Infinity);
  const lastAttempt = story.auth.filter((e) => e.ip === c.attackerBrowser2.ip).reduce((a, e) => (e.t > a ? e.t : a), -Infinity);
  return {
    generator: { version: GENERATOR_VERSION, seed: String(seed), scale },
    scenario: {
      platform: DOMAIN,
      victim: VICTIM,
      span: { from: isoUtc(DAY0), to: isoUtc(SPAN_END) },
      sources: {
        auth: { file: 'auth.jsonl', time: 'ISO 8601, UTC (Z)' },
        access: { file: 'access.jsonl.gz', time: 'ISO 8601 with +02:00 (Europe/Berlin, CEST)' },
        proxy: { file: 'proxy.log', time: 'syslog prefix without year and common log format, each proxy host\'s own clock' },
      },
    },
    phishing: {
      relay: { ip: c.relay.ip, asn: c.relay.net.asn, as_org: c.relay.net.as_org, country: c.relay.net.country, device_id: c.relay.device, user_agent: c.relay.ua, referer: PHISHING_ORIGIN },
      failed_signin_at: isoUtc(at('07:35:12.310')),
      signin_at: isoUtc(at('07:35:41.902')),
      mfa_at: isoUtc(at('07:35:58.118')),
      session_id: f.S1,
    },
    attacker: {
      ips: [c.attackerBrowser.ip, c.attackerBrowser2.ip],
      infrastructure_ips: [c.relay.ip, c.attackerBrowser.ip, c.attackerBrowser2.ip],
      asns: [c.attackerBrowser.net.asn],
      countries: [c.attackerBrowser.net.country],
      user_agents: [UA.firefoxLinux, UA.httpx].sort(),
      device_ids: [c.attackerBrowser.device],
      first_event: isoUtc(at('07:35:12.310')),
      token_replay_at: isoUtc(firstAccess),
      first_access: isoUtc(firstAccess),
      last_access: isoUtc(lastAccess),
      last_attempt: isoUtc(lastAttempt),
      last_event: isoUtc(lastAttempt),
      access_events_logged: visibleAttacker.length,
    },
    victim_clients: {
      baseline: [
        { ip: c.laptopOffice.ip, asn: c.laptopOffice.net.asn, user_agent: c.laptopOffice.ua, device_id: c.laptopOffice.device },
        { ip: c.phone.ip, asn: c.phone.net.asn, user_agent: c.phone.ua, device_id: c.phone.device },
      ],
      during_attack: [
        { ip: c.laptopOffice.ip, asn: c.laptopOffice.net.asn, user_agent: c.laptopOffice.ua, device_id: c.laptopOffice.device },
        { ip: c.laptopHotspot.ip, asn: c.laptopHotspot.net.asn, user_agent: c.laptopHotspot.ua, device_id: c.laptopHotspot.device, note: 'laptop tethered to the phone: new IP, known carrier, browser and device' },
      ],
    },
    sessions: {
      phishing_session: f.S1,
      lineage: lineage.slice().sort(),
      shared: [f.S1],
      victim_only: [f.V2, f.V3, f.V4],
      attacker_only: [f.A2, f.A3, f.A4],
      edges: f.lineageEdges,
      revoked_at: isoUtc(f.revokedAt),
      not_hijacked: { phone: f.phoneSessions, after_revocation: f.N1 },
    },
    rooms_read: roomsBy(reads(visibleAttacker)),
    rooms_touched: Object.fromEntries(
      ['read', 'admin', 'export'].map((a) => [a, [...new Set(visibleAttacker.filter((e) => e.action === a).map((e) => e.room.name))].sort()]),
    ),
    accessed_without_membership: [...new Set(visibleAttacker.filter((e) => e.awm).map((e) => e.room.name))].sort(),
    exports: { count: attackerExports.length, bytes: attackerExports.reduce((a, e) => a + e.bytes, 0), items: attackerExports },
    hidden_in_gap: {
      note: 'What the intruder really did while the access log recorded nothing; no log in the data set shows which rooms these batch requests read.',
      batch_requests: f.hiddenBatches,
      rooms_read: roomsBy(attackerAccess.filter(inGap)),
    },
    victim_in_lineage: {
      rooms_read: roomsBy(reads(victimAccess.filter((e) => lineageSet.has(e.session) && !inGap(e)))),
      exports: exportsOf(victimAccess.filter((e) => lineageSet.has(e.session) && !inGap(e))),
    },
    naive_session_only: {
      note: 'Attributing every logged event of the hijacked lineage to the intruder.',
      rooms_read: roomsBy(reads(naive)),
      exports: { count: naiveExports.length, bytes: naiveExports.reduce((a, e) => a + e.bytes, 0) },
    },
    gap: { source: 'access', from: isoUtc(GAP_FROM), to: isoUtc(GAP_TO), minutes: (GAP_TO - GAP_FROM) / MINUTE },
    skew: { host: 'proxy-2', seconds: SKEW_MS['proxy-2'] / 1000, note: 'proxy-2 stamps are this far ahead of true time; proxy-1 is on time' },
    corrupt_lines: counts.corrupt,
    files: {
      'auth.jsonl': { lines: files.auth.lines, bytes: files.auth.bytes },
      'access.jsonl.gz': { lines: files.access.lines, bytes: files.access.bytes, uncompressed_bytes: files.access.rawBytes },
      'proxy.log': { lines: files.proxy.lines, bytes: files.proxy.bytes },
    },
    claims: claimVerdicts(),
  };

  /**
   * The verdict each claim deserves, worked out from the events themselves (not written down):
   * what the intruder really did, limited to what the logs can show. A fact only the gap in the
   * access log holds leaves its claim inconclusive.
   */
  function claimVerdicts() {
    const shown = roomsBy(reads(visibleAttacker));
    const hidden = roomsBy(reads(attackerAccess.filter(inGap)));
    const infrastructure = new Set([c.relay.ip, c.attackerBrowser.ip, c.attackerBrowser2.ip]);
    const servedBytes = story.proxy.filter((p) => infrastructure.has(p.ip) && p.status < 400).reduce((a, p) => a + p.bytes, 0);
    const servedAfterRevocation = attackerAccess.some((e) => e.t >= f.revokedAt);
    return {
      // "Only public chat rooms were exposed"
      'operator-scope': shown.private.length + shown.direct.length > 0 ? 'contradicted' : hidden.private.length + hidden.direct.length > 0 ? 'inconclusive' : 'supported',
      // "The intruder lost all access when the official's sessions were revoked at 10:14 UTC"
      'operator-containment': servedAfterRevocation ? 'contradicted' : 'supported',
      // "We read the official's private rooms"
      'attacker-private-rooms': shown.private.length > 0 ? 'supported' : hidden.private.length > 0 ? 'inconclusive' : 'contradicted',
      // "We read the official's direct messages"
      'attacker-direct-messages': shown.direct.length > 0 ? 'supported' : hidden.direct.length > 0 ? 'inconclusive' : 'contradicted',
      // "We exported files from the official's rooms"
      'attacker-exports': attackerExports.length > 0 ? 'supported' : 'contradicted',
      // "We took more than 1 GB of the official's data": every byte the proxy served the intruder's addresses bounds it
      'attacker-volume': servedBytes > 1e9 ? 'supported' : 'contradicted',
    };
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const opts = parseArgs(process.argv.slice(2));
  const started = process.hrtime.bigint();
  const truth = generate(opts);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const f = truth.files;
  const mb = (n) => (n / 1e6).toFixed(2) + ' MB';
  process.stdout.write(
    `wrote ${opts.out} in ${(ms / 1000).toFixed(2)} s (seed ${truth.generator.seed}, scale ${truth.generator.scale})\n` +
      `  auth.jsonl       ${f['auth.jsonl'].lines.toLocaleString('en-US')} lines, ${mb(f['auth.jsonl'].bytes)}\n` +
      `  access.jsonl.gz  ${f['access.jsonl.gz'].lines.toLocaleString('en-US')} lines, ${mb(f['access.jsonl.gz'].bytes)} (${mb(f['access.jsonl.gz'].uncompressed_bytes)} uncompressed)\n` +
      `  proxy.log        ${f['proxy.log'].lines.toLocaleString('en-US')} lines, ${mb(f['proxy.log'].bytes)}\n`,
  );
}
