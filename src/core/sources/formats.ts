import { SourceLoadError } from './errors';
import type { SourceFormat } from './spec';

export type ConcreteFormat = Exclude<SourceFormat, 'auto'>;

const BY_EXTENSION: Readonly<Record<string, ConcreteFormat>> = {
  jsonl: 'jsonl', ndjson: 'jsonl',
  csv: 'csv',
  tsv: 'tsv', tab: 'tsv',
  log: 'text', txt: 'text', out: 'text', syslog: 'text', messages: 'text',
};

/** The format of one file from its name; `.gz` is looked through, as are rotation suffixes (`.log.1`). */
export function formatFromName(path: string): ConcreteFormat | null {
  const parts = path.toLowerCase().split(/[\\/]/).pop()!.split('.').slice(1);
  while (parts.length && (parts[parts.length - 1] === 'gz' || /^\d+$/.test(parts[parts.length - 1]))) parts.pop();
  return parts.length ? (BY_EXTENSION[parts[parts.length - 1]] ?? null) : null;
}

/** One format for all files of a source (declared, or the same for every file name). */
export function resolveFormat(declared: SourceFormat, files: readonly string[], sourceName: string): ConcreteFormat {
  if (declared !== 'auto') return declared;
  const seen = new Set<ConcreteFormat>();
  for (const f of files) {
    const fmt = formatFromName(f);
    if (!fmt) throw new SourceLoadError(`source "${sourceName}": cannot tell the format of ${f} from its name; declare format: jsonl, csv, tsv or text`);
    seen.add(fmt);
  }
  if (seen.size > 1) throw new SourceLoadError(`source "${sourceName}": files have different formats (${[...seen].join(', ')}); declare format or split the source`);
  return [...seen][0];
}
