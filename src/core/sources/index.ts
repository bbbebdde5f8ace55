/** The log-source layer: declarations, loading into tables, caching and provenance digests. */
export { loadSource, sourceFiles } from './loadSource';
export { loadAggregated, loadForQuery } from './queryLoad';
export { SourceCache, estimateTableBytes, type SourceCacheStats } from './sourceCache';
export { hashFiles, FileHashCache, defaultHashCache, type FileDigest } from './provenance';
export { SourceFileNotFound, SourceLoadError } from './errors';
export {
  SourceSpecSchema,
  SourcesSchema,
  parseSources,
  parseSourceSpec,
  describeSourceIssues,
  SourceSpecError,
  TIME_FIELD_CANDIDATES,
  SOURCE_FORMATS,
  NAMED_TIME_FORMATS,
  type SourceSpec,
  type SourceSettings,
  type SourceSpecInput,
  type TimeSpec,
  type SourceFormat,
} from './spec';
export type { LoadedSource, LoadOptions, LoadProgress, SourceFile } from './types';
export type { MalformedSample } from './malformed';
export { DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_LINE_BYTES, MAX_JSON_DEPTH, MALFORMED_SAMPLE_LIMIT, DEFAULT_CACHE_BUDGET_BYTES } from './limits';
export { resolveTimeZone, isValidTimeZone, type TimeZone } from './timezone';
export { type ParallelSettings } from './jsonlParallel';
export { setJsonlWorkerScript, startReadersEarly } from './readerPool';
