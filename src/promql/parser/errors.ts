import type { PosRange } from './ast.js';

/** ParseError is a PromQL syntax or type error; message is exactly Prometheus's, e.g. `1:10: parse error: unexpected <op:+>`. */
export class ParseError extends Error {
  override name = 'ParseError';
  /** detail is the message without the position prefix. */
  readonly detail: string;

  constructor(
    detail: string,
    readonly positionRange: PosRange,
    readonly query: string,
  ) {
    super(`${startPosInput(query, positionRange.start)}: parse error: ${detail}`);
    this.detail = detail;
  }
}

/** startPosInput renders a position as Prometheus's `line:col` (1-based; col counted in UTF-8 bytes). */
export function startPosInput(query: string, pos: number): string {
  const p = Math.min(Math.max(pos, 0), query.length);
  const before = query.slice(0, p);
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < before.length; i++) {
    if (before.charCodeAt(i) === 0x0a) {
      line++;
      lastBreak = i;
    }
  }
  const col = Buffer.byteLength(before.slice(lastBreak + 1), 'utf8') + 1;
  return `${line}:${col}`;
}
