/**
 * CSV text for exports. Values starting with `=`, `+`, `-`, `@` (or a tab/CR) would run as
 * formulas when a spreadsheet opens the file; log data is attacker-controlled, so such cells of
 * text get a leading apostrophe, the convention spreadsheets display as text. Plain numbers (`-5`,
 * `+1.5e3`) cannot be formulas and stay as they are, as do values Casebook itself formats (a
 * negative timespan `-01:00:00`, `-Infinity`): only string and dynamic columns carry the logs'
 * text. Other control characters (ESC, BEL, C1 controls) would drive a terminal that shows the
 * file; they are written as visible `\xNN` escapes.
 */
const FORMULA_START = /^\s*[=+\-@]|^[\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** One field; `fromLogs`: text that may come from the logs (a string or dynamic value, a name), which a formula guard protects. */
export function csvField(text: string, fromLogs = true): string {
  const visible = text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const safe = fromLogs && FORMULA_START.test(visible) && !PLAIN_NUMBER.test(visible) ? `'${visible}` : visible;
  return /[",\n\r]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A line of fields; `types`: the columns' types, so that only text from the logs is guarded (default: all). */
export function csvLine(fields: readonly string[], types?: readonly string[]): string {
  return fields.map((f, i) => csvField(f, types === undefined || carriesLogText(types[i]))).join(',');
}

function carriesLogText(type: string | undefined): boolean {
  return type !== 'long' && type !== 'real' && type !== 'bool' && type !== 'datetime' && type !== 'timespan';
}
