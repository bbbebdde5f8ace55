/** Errors a person can act on: each carries the source span it is about and, where possible, a hint. */

/** Said when a string would pass V8's limit (2^29 - 24 characters): data can make one, and it is no defect. */
export const STRING_TOO_LONG = 'a value would be longer than the longest text JavaScript can hold (about 512 MiB)';

/** Whether `e` is V8's error for a string past its maximum length. */
export function isStringTooLong(e: unknown): boolean {
  return e instanceof RangeError && /Invalid string length/.test(e.message);
}

export class QuerySyntaxError extends Error {
  override readonly name = 'QuerySyntaxError';
  constructor(
    message: string,
    readonly offset: number,
    readonly length: number,
    readonly line: number,
    readonly column: number,
    readonly hint?: string,
  ) {
    super(message);
  }

  /** The message, the offending line with a caret under the span, and the hint. */
  format(sourceText: string): string {
    return withCaret(this.message, sourceText, this.line, this.column, this.length, this.hint);
  }
}

/** Spaces up to `offset` in `line`, its tabs kept, so a caret after them lines up however wide tabs are shown. */
export function caretIndent(line: string, offset: number): string {
  return line.slice(0, offset).replace(/[^\t]/g, ' ');
}

function withCaret(message: string, sourceText: string, line: number, column: number, length: number, hint: string | undefined): string {
  const text = (sourceText.split('\n')[line - 1] ?? '').replace(/\r$/, '');
  const caretLength = Math.max(1, Math.min(length, text.length - (column - 1)));
  const out = [`${message} (line ${line}, column ${column})`, `  ${text}`, `  ${caretIndent(text, column - 1)}${'^'.repeat(caretLength)}`];
  if (hint) out.push(`hint: ${hint}`);
  return out.join('\n');
}

export class QueryRuntimeError extends Error {
  override readonly name = 'QueryRuntimeError';
  /** The query text `offset` refers to, set by `runQuery` when the error leaves it. */
  sourceText?: string;
  /** For "unknown column" errors: the name that is not there. */
  missingName?: string;

  constructor(
    message: string,
    readonly offset?: number,
    readonly length?: number,
    readonly hint?: string,
  ) {
    super(message);
  }

  /** Like a syntax error's: the line and column with a caret when the place is known, and the hint. */
  format(): string {
    if (this.offset === undefined || this.sourceText === undefined) return this.hint ? `${this.message}\nhint: ${this.hint}` : this.message;
    const at = Math.max(0, Math.min(this.offset, this.sourceText.length));
    const { line, column } = lineColumn(this.sourceText, at);
    return withCaret(this.message, this.sourceText, line, column, this.length ?? 1, this.hint);
  }
}

/** Marks an error already reported at the place a query uses an earlier cell's definition. */
const relocated = new WeakSet<QueryRuntimeError>();

/**
 * An error raised while evaluating `name`, a definition made by the query run `origin`. When that
 * is not the current run, its spans point into another text (an earlier cell), so the error is
 * reported at `at`, where this query uses the definition. Other errors pass unchanged.
 */
export function fromOtherRun(e: unknown, name: string, origin: object | undefined, current: object, at: { start: number; end: number }): unknown {
  if (!(e instanceof QueryRuntimeError) || origin === undefined || origin === current) return e;
  const message = relocated.has(e) ? e.message : `${e.message} (raised in \`${name}\`, defined in an earlier cell)`;
  const moved = new QueryRuntimeError(message, at.start, at.end - at.start, e.hint);
  relocated.add(moved);
  return moved;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function syntaxError(text: string, message: string, offset: number, length: number, hint?: string): QuerySyntaxError {
  const clamped = Math.max(0, Math.min(offset, text.length));
  const { line, column } = lineColumn(text, clamped);
  return new QuerySyntaxError(message, clamped, Math.max(0, length), line, column, hint);
}

export function abortError(): DOMException {
  return new DOMException('The query was cancelled', 'AbortError');
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError();
}

/** How many rows loops process between cancellation checks (a power of two, used as a mask). */
export const ABORT_CHECK_MASK = 0xffff;
