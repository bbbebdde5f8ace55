/** Random JSON lines (including odd and broken ones) for equivalence tests between read paths. */
import fc from 'fast-check';
import type { LoadedSource } from '../../../src/core/sources';

export const KEYS = ['a', 'b', 'ts', 'timestamp', 'date', 'é', '__proto__', '1', '10', 'long key with spaces', 'tab\\tkey'];

const scalar = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('2026-06-09T10:11:12Z', '2026-06-09 10:11:12.5', 'not a time', '', '\\u00e9', 'x"y', 'needle'),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(1780999872, 1780999872123, 9007199254740993n, -9223372036854775808n, 123456789012345678901234567890n, 0.5, 1e300, 2.0, -0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 3 })),
})).v;

function toJson(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v).replace(/\\\\u00e9/g, '\\u00e9');
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
  return JSON.stringify(v);
}

/** An object line with possibly duplicated keys and odd spacing, or something that is not one. */
export const line = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 6 }).chain((pairs) =>
      fc.constantFrom('', ' ', '\t').map((ws) => `${ws}{${pairs.map(([k, v]) => `${ws}${JSON.stringify(k)}${ws}:${ws}${toJson(v)}`).join(`${ws},`)}}${ws}`)) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', 'not json', '[1,2]', '{"a":1', '{"a":tru}', '{"a":01}', '{"a":"x\ty"}', '{"a":1,}', '{"\\u0061":"escaped key"}', '{"a":[1,[2,{"b":{}}]],"b":"needle"}', '{"a":"\\x"}', '{"a":-}', '{"a":1.}', '{"a":1e}', 'null', '{"a":1} x', '{"a":"needle \\ud800"}', '{"ts":-0,"a":-0,"b":-0.0}', '{"ts":1e3,"a":100000000000000000000}', '{"a":"\\u0000","b":"\\/"}', '{"a":{"__proto__":{"x":1}}}', '\ufeff{"a":1}') },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 12 }).map((bytes) => `{"a":"${Buffer.from(bytes).toString('latin1').replace(/["\\\n\r]/g, '_')}","b":"needle"}`) },
);

/** Schema, rows, time field and malformed lines of a load, restricted to `fields` when given. */
export function snapshot(s: LoadedSource, fields?: readonly string[]) {
  const keep = s.table.schema.map((c, i) => [c, i] as const).filter(([c]) => !fields || fields.includes(c.name));
  const rows = Array.from({ length: s.rowCount }, (_, r) => keep.map(([, i]) => s.table.columns[i].get(r)));
  return { schema: keep.map(([c]) => `${c.name}:${c.type}`), rows, timeField: s.timeField && (!fields || fields.includes(s.timeField)) ? s.timeField : null, malformed: s.malformed.count, lines: s.malformed.samples.map((m) => m.line) };
}

