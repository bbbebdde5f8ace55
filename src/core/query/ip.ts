/** IPv4 helpers for incident work: parsing, CIDR ranges and private ranges. */

/** The address as an unsigned 32-bit number, or null when the text is not a dotted-quad IPv4 address. */
export function parseIpv4(text: string): number | null {
  const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\s*$/.exec(text);
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return null;
    n = n * 256 + octet;
  }
  return n;
}

/**
 * An address in Kusto's IP-prefix notation (`192.168.1.1/24`, or a plain address: prefix 32), or
 * null when the text is not one.
 */
export function parseIpv4Prefix(text: string): { address: number; prefix: number } | null {
  const [addr, bits, ...rest] = text.split('/');
  if (rest.length > 0) return null;
  const address = parseIpv4(addr);
  if (address === null) return null;
  if (bits === undefined) return { address, prefix: 32 };
  const prefix = /^\s*\d{1,2}\s*$/.test(bits) ? Number(bits) : NaN;
  return prefix >= 0 && prefix <= 32 ? { address, prefix } : null;
}

/** The address with all but its first `prefix` bits cleared. */
export function maskIpv4(address: number, prefix: number): number {
  return prefix === 0 ? 0 : (address & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
}

/** `parse_ipv4`: the address as a number, masked by its prefix (`192.168.1.1/24` is 192.168.1.0). */
export function parseIpv4Masked(text: string): number | null {
  const p = parseIpv4Prefix(text);
  return p === null ? null : maskIpv4(p.address, p.prefix);
}

/** `ipv4_compare`: -1, 0 or 1 over the bits both prefixes (and `prefix`, if given) keep. */
export function ipv4Compare(a: string, b: string, prefix?: number | null): number | null {
  const x = parseIpv4Prefix(a);
  const y = parseIpv4Prefix(b);
  if (x === null || y === null || prefix === null || (prefix !== undefined && !(prefix >= 0 && prefix <= 32))) return null;
  const bits = Math.min(x.prefix, y.prefix, prefix ?? 32);
  return Math.sign(maskIpv4(x.address, bits) - maskIpv4(y.address, bits));
}

/** `10.0.0.0/8` or a single address. */
export function parseIpv4Range(text: string): { base: number; mask: number } | null {
  const p = parseIpv4Prefix(text);
  if (p === null) return null;
  const mask = maskIpv4(0xffffffff, p.prefix);
  return { base: maskIpv4(p.address, p.prefix), mask };
}

/** `ipv4_is_in_range`: the address (masked by its own prefix, if it has one) falls in the range. */
export function ipv4InRange(ip: string, range: string): boolean | null {
  const a = parseIpv4Masked(ip);
  const r = parseIpv4Range(range);
  if (a === null || r === null) return null;
  return ((a & r.mask) >>> 0) === r.base;
}

// Parsed on first use: the first run of parseIpv4's pattern compiles it, which every start of the
// command and of each reader thread would otherwise pay for.
let privateRanges: { base: number; mask: number }[] | undefined;

/** RFC 1918 private ranges (as Kusto's ipv4_is_private; an address may carry a prefix). */
export function ipv4IsPrivate(ip: string): boolean | null {
  const a = parseIpv4Masked(ip);
  if (a === null) return null;
  privateRanges ??= ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((r) => parseIpv4Range(r)!);
  return privateRanges.some((r) => ((a & r.mask) >>> 0) === r.base);
}

/**
 * A search term of the has_ipv4 family: the octets of a whole address, or with `prefixes` also of
 * a prefix ending in a dot (`10.`, `192.168.1.`); null when the text is neither.
 */
export function parseIpv4SearchTerm(text: string, prefixes: boolean): number[] | null {
  const m = /^(\d{1,3})\.(?:(\d{1,3})\.(?:(\d{1,3})\.(?:(\d{1,3}))?)?)?$/.exec(text);
  if (!m) return null;
  const octets = m.slice(1).filter((o) => o !== undefined).map(Number);
  const whole = octets.length === 4;
  if (octets.some((o) => o > 255) || (!whole && !prefixes)) return null;
  return octets;
}

const isAsciiLetterOrDigit = (c: number): boolean => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
const isDigitCode = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * Whether `text` holds an IPv4 address that starts with one of `terms` (octets, as
 * parseIpv4SearchTerm gives them). An address in text is four octets of at most three digits, at
 * most 255 each, with no ASCII letter or digit right before or after it, as Kusto's has_ipv4 reads
 * text: `05:04:54127.0.0.1` holds none, and since a dot delimits too, `1.2.3.4.5` holds 1.2.3.4 and
 * 2.3.4.5.
 */
export function textHasIpv4(text: string, terms: readonly (readonly number[])[]): boolean {
  if (terms.length === 0) return false;
  const octets = [0, 0, 0, 0];
  for (let start = 0; start < text.length; start++) {
    if (!isDigitCode(text.charCodeAt(start)) || (start > 0 && isAsciiLetterOrDigit(text.charCodeAt(start - 1)))) continue;
    let i = start, k = 0;
    for (; k < 4; k++) {
      if (k > 0) {
        if (text.charCodeAt(i) !== 0x2e) break;
        i++;
      }
      let value = 0, digits = 0;
      while (digits < 4 && isDigitCode(text.charCodeAt(i))) value = value * 10 + text.charCodeAt(i++) - 0x30, digits++;
      if (digits === 0 || digits > 3 || value > 255) break;
      octets[k] = value;
    }
    if (k < 4 || (i < text.length && isAsciiLetterOrDigit(text.charCodeAt(i)))) continue;
    if (terms.some((t) => t.every((o, j) => o === octets[j]))) return true;
  }
  return false;
}
