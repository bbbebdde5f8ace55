/** The query engine's public surface, used by the notebook runner and the CLI. */
export { parseQuery, parseExpression } from './parser';
export { QuerySyntaxError, QueryRuntimeError } from './errors';
export { runQuery, type QueryEnvironment, type QueryResult, type RenderRequest } from './engine';
export { analyzeQuery, type QueryAnalysis } from './analyze';
export { Scope, type Definition } from './scope';
export type { QueryAst } from './ast';
export { planSourceRequests } from './pushdown';
export type { SourceRequest } from './sourceRequest';
