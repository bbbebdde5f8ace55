/**
 * CSV text for exports. Values starting with `=`, `+`, `-`, `@` (or a tab/CR) would run as
 * formulas when a spreadsheet opens the file; log data is attacker-controlled, so such cells get a
 * leading apostrophe, the convention spreadsheets display as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}
