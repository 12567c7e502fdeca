/**
 * The syntax of a mapping's `from`, as in Entra's expression mappings but with attribute paths
 * written bare (`name.givenName`, not `[givenName]`):
 *   expression := operand [("=" | "<>") operand]     (a comparison: iif's condition)
 *   operand    := "quoted" | 'quoted' | number | name "(" [argument ("," argument)*] ")" | path
 * An argument may be left out (`formatDateTime(x, , "yyyyMMdd", "yyyy")`), as Entra writes optional ones.
 * A path is an attribute path or WSO2 claim URI; brackets and quotes inside it are kept whole.
 */
export type Expr =
  | { kind: 'call'; name: string; args: Expr[]; at: number; source: string }
  | { kind: 'text'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'path'; text: string; at: number }
  | { kind: 'omitted'; at: number }
  | { kind: 'compare'; op: '=' | '<>'; left: Expr; right: Expr; at: number };

export interface SyntaxProblem {
  message: string;
  /** 0-based offset in the text. */
  at: number;
}

const NAME = /[A-Za-z][A-Za-z0-9_]*/y;
const NUMBER = /-?\d+(?:\.\d+)?(?=[\s,)=<>]|$)/y;
const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', t: '\t' };
/** Deeper nesting than any mapping needs; stops a runaway text from exhausting the stack. */
const MAX_DEPTH = 32;

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): Expr {
    const expr = this.expression(0);
    this.skipSpace();
    if (this.pos < this.text.length) throw this.problem(`unexpected ${JSON.stringify(this.text.slice(this.pos, this.pos + 20))}`);
    return expr;
  }

  private expression(depth: number): Expr {
    const left = this.operand(depth);
    this.skipSpace();
    if (this.text.startsWith('!=', this.pos) || this.text.startsWith('==', this.pos))
      throw this.problem('compare with "=" or "<>" (as in Entra)');
    const op = this.text.startsWith('<>', this.pos) ? '<>' : this.text[this.pos] === '=' ? '=' : undefined;
    if (op === undefined) return left;
    this.pos += op.length;
    const right = this.operand(depth);
    return { kind: 'compare', op, left, right, at: left.at };
  }

  private operand(depth: number): Expr {
    if (depth > MAX_DEPTH) throw this.problem(`nested deeper than ${MAX_DEPTH} calls`);
    this.skipSpace();
    const at = this.pos;
    const ch = this.text[at];
    if (ch === undefined) throw this.problem('expected a value');
    if (ch === '"' || ch === "'") return { kind: 'text', value: this.quoted(), at };
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(this.text);
    if (number) {
      this.pos += number[0].length;
      return { kind: 'number', value: Number(number[0]), at };
    }
    NAME.lastIndex = at;
    const name = NAME.exec(this.text);
    if (name && /^\s*\(/.test(this.text.slice(at + name[0].length))) return this.call(name[0], at, depth);
    return this.path(at);
  }

  private call(name: string, at: number, depth: number): Expr {
    this.pos = this.text.indexOf('(', at + name.length) + 1;
    const args: Expr[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return { kind: 'call', name, args, at, source: this.text.slice(at, this.pos) };
    }
    for (;;) {
      this.skipSpace();
      const ch = this.text[this.pos];
      if (ch === ',' || ch === ')') args.push({ kind: 'omitted', at: this.pos });
      else if (ch === undefined) throw this.problem('missing ")"');
      else args.push(this.expression(depth + 1));
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === ')') {
        this.pos++;
        return { kind: 'call', name, args, at, source: this.text.slice(at, this.pos) };
      }
      throw this.problem(
        next === undefined ? 'missing ")"' : `expected "," or ")" at ${JSON.stringify(this.text.slice(this.pos, this.pos + 20))}`,
      );
    }
  }

  private quoted(): string {
    const quote = this.text[this.pos];
    let value = '';
    for (let pos = this.pos + 1; pos < this.text.length; pos++) {
      const ch = this.text[pos];
      if (ch === quote) {
        this.pos = pos + 1;
        return value;
      }
      if (ch === '\\') {
        const escaped = ESCAPES[this.text[pos + 1]];
        if (escaped === undefined) {
          this.pos = pos;
          throw this.problem(`invalid escape ${JSON.stringify(this.text.slice(pos, pos + 2))}`);
        }
        value += escaped;
        pos++;
      } else value += ch;
    }
    throw this.problem('unterminated quoted text');
  }

  /** Up to a space, ",", ")" or comparison outside brackets; `emails[type eq "work"].value` stays whole. */
  private path(at: number): Expr {
    let depth = 0;
    let quote: string | undefined;
    let pos = at;
    for (; pos < this.text.length; pos++) {
      const ch = this.text[pos];
      if (quote !== undefined) {
        if (ch === '\\') pos++;
        else if (ch === quote) quote = undefined;
      } else if (depth > 0 && (ch === '"' || ch === "'")) quote = ch;
      else if (ch === '[') depth++;
      else if (ch === ']' && depth > 0) depth--;
      else if (depth === 0 && /[\s,()=<>"']/.test(ch)) break;
    }
    if (pos === at) throw this.problem(`unexpected ${JSON.stringify(this.text[at])}`);
    this.pos = pos;
    return { kind: 'path', text: this.text.slice(at, pos), at };
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private problem(message: string): SyntaxProblem {
    return { message, at: this.pos };
  }
}

/** Parses a `from`; a SyntaxProblem says what is wrong and where. */
export function parseExpression(text: string): Expr | SyntaxProblem {
  try {
    return new Parser(text).parse();
  } catch (error) {
    if (isSyntaxProblem(error)) return error;
    throw error;
  }
}

export function isSyntaxProblem(value: unknown): value is SyntaxProblem {
  return typeof value === 'object' && value !== null && 'message' in value && 'at' in value && !('kind' in value);
}
