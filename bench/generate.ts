/**
 * Deterministic generator of a messaging platform's access log as JSON Lines: one object per
 * line with nested `actor` and `room` objects, an ISO UTC `ts`, a low-cardinality `event`, a few
 * numbers, and rare lines with JSON escapes in the user agent (as real exports have).
 *
 *   tsx bench/generate.ts --lines 1000000 --out bench/data/access-1m.jsonl [--seed 7]
 *
 * The same seed and line count always give the same bytes.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** sfc32: a small, fast, seedable generator (uniform doubles in [0, 1)). */
export function rng(seed: number): () => number {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

/** Event kinds and their weights (per mille). `login.failed` is the rare one the filters look for. */
export const EVENTS: readonly (readonly [string, number])[] = [
  ['message.send', 430],
  ['message.read', 240],
  ['reaction.add', 60],
  ['room.join', 50],
  ['room.leave', 35],
  ['login.success', 45],
  ['login.failed', 8],
  ['file.upload', 32],
  ['file.download', 40],
  ['presence.update', 45],
  ['call.start', 10],
  ['call.end', 5],
];

const VISIBILITY = ['private', 'private', 'private', 'public', 'public', 'direct'] as const;
const STATUS = [200, 200, 200, 200, 200, 200, 200, 201, 204, 403, 404, 429, 500] as const;
const APPS = ['web', 'desktop', 'ios', 'android'] as const;
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'ChatApp/5.12.3 (iPhone; iOS 17.4.1; Scale/3.00)',
  'ChatApp/5.12.1 (Android 14; Pixel 8 Build/AP1A.240405.002)',
  'ChatAppDesktop/3.8.0 Electron/29.1.0 (Windows NT 10.0.22631)',
];
/** Rare agents whose JSON text needs escapes (quotes, a slash written as \/). */
const ODD_UAS = ['curl/8.5.0 \\"probe\\"', 'python-requests\\/2.31.0', 'Scanner \\"Nightcrawler\\" v1'];

export interface GenerateOptions {
  readonly lines: number;
  readonly seed?: number;
  /** First timestamp (ms since epoch); lines are about `spanMs / lines` apart. */
  readonly startMs?: number;
  readonly spanMs?: number;
}

/** Calls `emit` with chunks of text (whole lines) until `lines` lines were produced. */
export function generate(options: GenerateOptions, emit: (chunk: string) => void): void {
  const random = rng(options.seed ?? 7);
  const lines = options.lines;
  const users = Math.max(50, Math.floor(lines / 20));
  const rooms = Math.max(20, Math.floor(lines / 50));
  const start = options.startMs ?? Date.UTC(2026, 2, 1);
  const span = options.spanMs ?? 7 * 86_400_000;
  const step = span / lines;
  const cumulative: number[] = [];
  let sum = 0;
  for (const [, w] of EVENTS) cumulative.push((sum += w));
  const pickEvent = () => {
    const x = random() * sum;
    let i = 0;
    while (cumulative[i] <= x) i++;
    return EVENTS[i][0];
  };
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  let t = start;
  let out = '';
  for (let i = 0; i < lines; i++) {
    t += step * 2 * random();
    const ms = Math.floor(t);
    const user = Math.floor(users * random() ** 2);
    const room = Math.floor(rooms * random() ** 1.5);
    const event = pickEvent();
    const ipA = 10 + (user % 7);
    const ip = `${ipA}.${(user >> 8) & 255}.${user & 255}.${1 + Math.floor(random() * 3)}`;
    const ua = random() < 0.004 ? ODD_UAS[Math.floor(random() * ODD_UAS.length)] : UAS[(user + Math.floor(random() * 2)) % UAS.length];
    const visibility = VISIBILITY[room % VISIBILITY.length];
    const status = event === 'login.failed' ? 401 : STATUS[Math.floor(random() * STATUS.length)];
    const bytes = event.startsWith('file.') ? 1024 + Math.floor(random() * 5_000_000) : Math.floor(random() * 4096);
    const latency = (random() * 400).toFixed(1);
    const requestId = Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0') + Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0');
    const app = APPS[(user + room) % APPS.length];
    out +=
      `{"ts":"${new Date(ms).toISOString()}","event":"${event}",` +
      `"actor":{"user":"u${pad(user, 6)}","ip":"${ip}","ua":"${ua}"},` +
      `"room":{"id":"r${pad(room, 5)}","visibility":"${visibility}"},` +
      `"bytes":${bytes},"status":${status},"latency_ms":${latency},"request_id":"${requestId}",` +
      `"client":{"app":"${app}","version":"5.${12 - (user % 3)}.${user % 4}"}}\n`;
    if (out.length >= 1 << 20) {
      emit(out);
      out = '';
    }
  }
  if (out) emit(out);
}

/** Writes a file of `lines` lines; returns its size in bytes. */
export function writeAccessLog(path: string, options: GenerateOptions): number {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    generate(options, (chunk) => {
      const buf = Buffer.from(chunk, 'utf8');
      writeSync(fd, buf);
      bytes += buf.length;
    });
  } finally {
    closeSync(fd);
  }
  return bytes;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const lines = Number(arg('lines') ?? 1_000_000);
  const out = arg('out') ?? `bench/data/access-${lines % 1_000_000 === 0 ? `${lines / 1_000_000}m` : lines}.jsonl`;
  const started = Date.now();
  const bytes = writeAccessLog(out, { lines, seed: Number(arg('seed') ?? 7) });
  process.stdout.write(`${out}: ${lines} lines, ${(bytes / 1048576).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
