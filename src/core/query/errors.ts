/** Errors a person can act on: each carries the source span it is about and, where possible, a hint. */

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
    const lines = sourceText.split('\n');
    const text = (lines[this.line - 1] ?? '').replace(/\r$/, '');
    const caretLength = Math.max(1, Math.min(this.length, text.length - (this.column - 1)));
    const out = [`${this.message} (line ${this.line}, column ${this.column})`, `  ${text}`, `  ${' '.repeat(this.column - 1)}${'^'.repeat(caretLength)}`];
    if (this.hint) out.push(`hint: ${this.hint}`);
    return out.join('\n');
  }
}

export class QueryRuntimeError extends Error {
  override readonly name = 'QueryRuntimeError';
  constructor(
    message: string,
    readonly offset?: number,
    readonly length?: number,
    readonly hint?: string,
  ) {
    super(message);
  }
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
