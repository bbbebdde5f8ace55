/**
 * The query syntax tree: a plain, JSON-serialisable discriminated union. Every node carries the
 * source span it came from (`start` inclusive, `end` exclusive, UTF-16 offsets) so editors can
 * point at it and other back ends (SQL generation) can walk it without touching evaluation.
 */
import type { ScalarType } from './values';

export interface Span {
  readonly start: number;
  readonly end: number;
}

// ---------- scalar expressions ----------

export type LiteralNode =
  | (Span & { readonly kind: 'Literal'; readonly type: 'null'; readonly value: null })
  | (Span & { readonly kind: 'Literal'; readonly type: 'bool'; readonly value: boolean | null })
  /** Decimal text, so 64-bit values survive JSON. */
  | (Span & { readonly kind: 'Literal'; readonly type: 'long'; readonly value: string | null })
  | (Span & { readonly kind: 'Literal'; readonly type: 'real'; readonly value: number | null })
  | (Span & { readonly kind: 'Literal'; readonly type: 'string'; readonly value: string })
  /** Microseconds since the Unix epoch (datetime) or microseconds (timespan). */
  | (Span & { readonly kind: 'Literal'; readonly type: 'datetime' | 'timespan'; readonly value: number | null });

/** A `dynamic(...)` literal, kept as a tree so 64-bit integers survive JSON. */
export type DynamicNode =
  | { readonly type: 'null' }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'long'; readonly value: string }
  | { readonly type: 'real'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  /** A datetime or timespan literal written inside (microseconds), held as its text as every datetime in a dynamic value. */
  | { readonly type: 'datetime' | 'timespan'; readonly value: number }
  | { readonly type: 'array'; readonly items: readonly DynamicNode[] }
  | { readonly type: 'object'; readonly entries: readonly (readonly [string, DynamicNode])[] };

export interface DynamicLiteral extends Span {
  readonly kind: 'DynamicLiteral';
  readonly value: DynamicNode;
}

export interface NameRef extends Span {
  readonly kind: 'Name';
  readonly name: string;
}

/** `$left.col` / `$right.col` inside `join ... on`. */
export interface JoinSideRef extends Span {
  readonly kind: 'JoinSide';
  readonly side: 'left' | 'right';
  readonly name: string;
}

/** `*` as a function argument (`arg_max(t, *)`, `count(*)`-style). */
export interface StarArg extends Span {
  readonly kind: 'Star';
}

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%'
  | '==' | '!=' | '=~' | '!~' | '<' | '<=' | '>' | '>='
  | 'and' | 'or';

export const STRING_OPERATORS = [
  'has', '!has', 'has_cs', '!has_cs', 'hasprefix', '!hasprefix', 'hasprefix_cs', '!hasprefix_cs',
  'hassuffix', '!hassuffix', 'hassuffix_cs', '!hassuffix_cs',
  'contains', '!contains', 'contains_cs', '!contains_cs',
  'startswith', '!startswith', 'startswith_cs', '!startswith_cs',
  'endswith', '!endswith', 'endswith_cs', '!endswith_cs',
  'matches regex',
] as const;
export type StringOp = (typeof STRING_OPERATORS)[number];

export interface BinaryExpr extends Span {
  readonly kind: 'Binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

export interface StringOpExpr extends Span {
  readonly kind: 'StringOp';
  readonly op: StringOp;
  readonly left: Expr;
  readonly right: Expr;
}

export type ListOp = 'in' | '!in' | 'in~' | '!in~' | 'has_any' | 'has_all';

/** `x in (a, b)`, `x in (T | project c)`, `x has_any (...)`. */
export interface ListExpr extends Span {
  readonly kind: 'List';
  readonly op: ListOp;
  readonly left: Expr;
  readonly items: readonly Expr[];
  /** A single-column tabular subquery instead of `items`. */
  readonly subquery?: TabularExpr;
}

export interface BetweenExpr extends Span {
  readonly kind: 'Between';
  readonly negated: boolean;
  readonly left: Expr;
  readonly low: Expr;
  readonly high: Expr;
}

export interface UnaryExpr extends Span {
  readonly kind: 'Unary';
  readonly op: '-' | '+';
  readonly operand: Expr;
}

export interface CallExpr extends Span {
  readonly kind: 'Call';
  readonly name: string;
  /** Span of the function name, for "unknown function" diagnostics. */
  readonly nameStart: number;
  readonly args: readonly Expr[];
}

/** `a.b` */
export interface MemberExpr extends Span {
  readonly kind: 'Member';
  readonly target: Expr;
  readonly name: string;
}

/** `a["b"]`, `a[0]`, `a[-1]` */
export interface IndexExpr extends Span {
  readonly kind: 'Index';
  readonly target: Expr;
  readonly index: Expr;
}

/** `toscalar(T | ...)` and a tabular expression used where a scalar is expected. */
export interface ToScalarExpr extends Span {
  readonly kind: 'ToScalar';
  readonly query: TabularExpr;
  /** True for `toscalar(...)`; false for a parenthesized pipeline, which may also be a tabular operand. */
  readonly explicit: boolean;
}

export type Expr =
  | LiteralNode
  | DynamicLiteral
  | NameRef
  | JoinSideRef
  | StarArg
  | BinaryExpr
  | StringOpExpr
  | ListExpr
  | BetweenExpr
  | UnaryExpr
  | CallExpr
  | MemberExpr
  | IndexExpr
  | ToScalarExpr;

// ---------- tabular expressions ----------

/** `name = expr` or a bare `expr` in project/extend/summarize. */
export interface ColumnAssignment extends Span {
  readonly name?: string;
  readonly expr: Expr;
}

export interface SortKey extends Span {
  readonly expr: Expr;
  readonly order: 'asc' | 'desc';
  readonly nulls: 'first' | 'last';
}

export interface ColumnDecl extends Span {
  readonly name: string;
  readonly type: ScalarType;
}

/** A table name, a let, or a call of a user function (`f(1)`) used as a source. */
export interface NamedSource extends Span {
  readonly kind: 'TableRef';
  readonly name: string;
  readonly args?: readonly Expr[];
}

export interface DatatableSource extends Span {
  readonly kind: 'Datatable';
  readonly columns: readonly ColumnDecl[];
  readonly values: readonly Expr[];
}

export interface PrintSource extends Span {
  readonly kind: 'Print';
  readonly columns: readonly ColumnAssignment[];
}

export interface RangeSource extends Span {
  readonly kind: 'Range';
  readonly column: string;
  readonly from: Expr;
  readonly to: Expr;
  readonly step: Expr;
}

export interface UnionSource extends Span {
  readonly kind: 'UnionSource';
  readonly union: UnionOp;
}

export interface ParenSource extends Span {
  readonly kind: 'Paren';
  readonly query: TabularExpr;
}

export type Source = NamedSource | DatatableSource | PrintSource | RangeSource | UnionSource | ParenSource;

export interface WhereOp extends Span {
  readonly kind: 'where';
  readonly predicate: Expr;
}
export interface ProjectOp extends Span {
  readonly kind: 'project' | 'extend';
  readonly columns: readonly ColumnAssignment[];
}
/** Column name patterns; `*` is a wildcard. */
export interface ProjectNamesOp extends Span {
  readonly kind: 'project-away' | 'project-keep' | 'project-reorder';
  readonly patterns: readonly string[];
  /** project-reorder: per pattern, how its columns are ordered by name (else as in the input). */
  readonly orders?: readonly ('asc' | 'desc' | undefined)[];
}
export interface ProjectRenameOp extends Span {
  readonly kind: 'project-rename';
  readonly renames: readonly (Span & { readonly to: string; readonly from: string })[];
}
export interface SummarizeOp extends Span {
  readonly kind: 'summarize';
  readonly aggregates: readonly ColumnAssignment[];
  readonly by: readonly ColumnAssignment[];
}
export interface CountOp extends Span {
  readonly kind: 'count';
  readonly name?: string;
}
export interface DistinctOp extends Span {
  readonly kind: 'distinct';
  /** Empty means `distinct *`. */
  readonly columns: readonly ColumnAssignment[];
}
export interface SortOp extends Span {
  readonly kind: 'sort';
  readonly keys: readonly SortKey[];
}
export interface TopOp extends Span {
  readonly kind: 'top';
  readonly count: Expr;
  readonly keys: readonly SortKey[];
}
export interface TakeOp extends Span {
  readonly kind: 'take';
  readonly count: Expr;
}
export type JoinKind = 'innerunique' | 'inner' | 'leftouter' | 'rightouter' | 'fullouter' | 'leftanti' | 'rightanti' | 'leftsemi' | 'rightsemi';
export const JOIN_KINDS: readonly JoinKind[] = ['innerunique', 'inner', 'leftouter', 'rightouter', 'fullouter', 'leftanti', 'rightanti', 'leftsemi', 'rightsemi'];
export interface JoinCondition extends Span {
  readonly left: string;
  readonly right: string;
}
export interface JoinOp extends Span {
  readonly kind: 'join' | 'lookup';
  readonly joinKind: JoinKind;
  readonly right: TabularExpr;
  readonly on: readonly JoinCondition[];
}
export interface UnionOp extends Span {
  readonly kind: 'union';
  readonly unionKind: 'outer' | 'inner';
  readonly withSource?: string;
  /** `isfuzzy=true`: tables that do not exist are left out (with a warning) as long as one does. */
  readonly fuzzy?: boolean;
  readonly tables: readonly TabularExpr[];
}
export interface MvExpandItem extends Span {
  readonly name?: string;
  readonly expr: Expr;
  readonly toType?: ScalarType;
}
export interface MvExpandOp extends Span {
  readonly kind: 'mv-expand';
  readonly bagExpansion: 'bag' | 'array';
  readonly itemIndex?: string;
  readonly items: readonly MvExpandItem[];
  readonly limit?: Expr;
  /** Rows per input row without a `limit`: 128 for the deprecated `mvexpand`, as Kusto documents. */
  readonly defaultLimit?: number;
}
export type ParsePatternPart =
  | (Span & { readonly kind: 'text'; readonly text: string })
  | (Span & { readonly kind: 'star' })
  | (Span & { readonly kind: 'column'; readonly name: string; readonly type: ScalarType });
export interface ParseOp extends Span {
  readonly kind: 'parse';
  readonly parseKind: 'simple' | 'regex' | 'relaxed';
  /** Regex flags for kind=regex: any of `i`, `m`, `s`, `U`. */
  readonly flags: string;
  readonly source: Expr;
  readonly pattern: readonly ParsePatternPart[];
}
export interface RenderOp extends Span {
  readonly kind: 'render';
  readonly visualization: string;
  readonly properties: readonly (Span & { readonly name: string; readonly value: Expr | readonly string[] })[];
}
export interface AsOp extends Span {
  readonly kind: 'as';
  readonly name: string;
}
export interface SimpleOp extends Span {
  readonly kind: 'getschema' | 'serialize';
}
export interface InvokeOp extends Span {
  readonly kind: 'invoke';
  readonly name: string;
  readonly args: readonly Expr[];
}

export type Operator =
  | WhereOp
  | ProjectOp
  | ProjectNamesOp
  | ProjectRenameOp
  | SummarizeOp
  | CountOp
  | DistinctOp
  | SortOp
  | TopOp
  | TakeOp
  | JoinOp
  | UnionOp
  | MvExpandOp
  | ParseOp
  | RenderOp
  | AsOp
  | SimpleOp
  | InvokeOp;

export type OperatorKind = Operator['kind'];

export interface TabularExpr extends Span {
  readonly kind: 'Pipeline';
  readonly source: Source;
  readonly operators: readonly Operator[];
}

// ---------- statements ----------

export interface FunctionParam extends Span {
  readonly name: string;
  /** `'tabular'` for `T:(*)` or `T:(a:string)` parameters. */
  readonly type: ScalarType | 'tabular';
  readonly defaultValue?: Expr;
}

/** The body of a user function: its own lets and a scalar or tabular result. */
export interface FunctionBody extends Span {
  readonly statements: readonly LetStatement[];
  readonly result: Expr | TabularExpr;
}

export interface FunctionDef extends Span {
  readonly kind: 'Function';
  readonly params: readonly FunctionParam[];
  readonly body: FunctionBody;
}

/**
 * `let name = value;`. A bare name or call (`let T = Signins;`, `let r = f(1);`) is kept as an
 * `Expr`: whether it is tabular is known only once names resolve.
 */
export interface LetStatement extends Span {
  readonly kind: 'Let';
  readonly name: string;
  readonly nameStart: number;
  readonly value: Expr | TabularExpr | FunctionDef;
}

export interface QueryAst extends Span {
  readonly kind: 'Query';
  /** The text it was parsed from (the spans are offsets into it). */
  readonly text?: string;
  readonly statements: readonly LetStatement[];
  /** The final tabular expression; absent when the text only has `let` statements. */
  readonly query?: TabularExpr;
}

export function isTabular(node: Expr | TabularExpr | FunctionDef): node is TabularExpr {
  return node.kind === 'Pipeline';
}
