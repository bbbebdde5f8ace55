import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSource, parseSourceSpec, type LoadedSource, type LoadOptions } from '../../../src/core/sources';
import type { Value } from '../../../src/core/query/values';

export const FIXTURES = resolve(__dirname, '../../fixtures/sources');

/** Loads a source declared as in front matter (`decl` is the YAML value), relative to `baseDir`. */
export function load(decl: unknown, options: Partial<LoadOptions> & { baseDir?: string } = {}): Promise<LoadedSource> {
  return loadSource(parseSourceSpec('src', decl), { baseDir: FIXTURES, ...options });
}

/** A fresh temporary directory removed after the current suite. */
export function tempDir(): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), 'casebook-sources-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export function column(source: LoadedSource, name: string): Value[] {
  const col = source.table.column(name);
  if (!col) throw new Error(`no column ${name}; have ${source.table.schema.map((c) => c.name).join(', ')}`);
  return Array.from({ length: col.length }, (_, i) => col.get(i));
}

export function schemaOf(source: LoadedSource): string[] {
  return source.table.schema.map((c) => `${c.name}:${c.type}`);
}

/** ISO text of a datetime cell (or null). */
export function iso(v: Value): string | null {
  return v === null ? null : (v as { toISOString(): string }).toISOString();
}
