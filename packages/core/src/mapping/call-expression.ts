/**
 * The `name(arg, "quoted, arg", 'single')` syntax shared by transforms and `concat(...)`.
 * Quoted arguments are literals (backslash escapes \" \' \\ \n \t); bare arguments are returned
 * trimmed, with brackets and quotes inside them kept whole (`emails[type eq "work"].value`).
 */
export type CallArgument = { quoted: true; text: string } | { quoted: false; text: string };

export interface CallExpression {
  name: string;
  /** undefined when written without parentheses (`lower`). */
  args?: CallArgument[];
}

const NAME = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*/;
const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', t: '\t' };

/** Parses one call; returns a reason string when the text is not one. */
export function parseCall(text: string): CallExpression | string {
  const name = NAME.exec(text);
  if (!name) return 'expected a name';
  let pos = name[0].length;
  if (pos === text.length) return { name: name[1] };
  if (text[pos] !== '(') return `unexpected ${JSON.stringify(text.slice(pos))}`;
  pos++;
  const args: CallArgument[] = [];
  pos = skipSpace(text, pos);
  if (text[pos] === ')') return text.slice(pos + 1).trim() === '' ? { name: name[1], args } : 'text after ")"';
  for (;;) {
    const arg = text[pos] === '"' || text[pos] === "'" ? readQuoted(text, pos) : readBare(text, pos);
    if (typeof arg === 'string') return arg;
    args.push(arg.argument);
    pos = skipSpace(text, arg.end);
    if (text[pos] === ',') {
      pos = skipSpace(text, pos + 1);
      continue;
    }
    if (text[pos] === ')') return text.slice(pos + 1).trim() === '' ? { name: name[1], args } : 'text after ")"';
    return pos >= text.length ? 'missing ")"' : `expected "," or ")" at ${JSON.stringify(text.slice(pos))}`;
  }
}

function readQuoted(text: string, start: number): { argument: CallArgument; end: number } | string {
  const quote = text[start];
  let value = '';
  for (let pos = start + 1; pos < text.length; pos++) {
    const ch = text[pos];
    if (ch === quote) return { argument: { quoted: true, text: value }, end: pos + 1 };
    if (ch === '\\') {
      const escaped = ESCAPES[text[pos + 1]];
      if (escaped === undefined) return `invalid escape ${JSON.stringify(text.slice(pos, pos + 2))}`;
      value += escaped;
      pos++;
    } else {
      value += ch;
    }
  }
  return 'unterminated quoted argument';
}

function readBare(text: string, start: number): { argument: CallArgument; end: number } | string {
  let depth = 0;
  let quote: string | undefined;
  let pos = start;
  for (; pos < text.length; pos++) {
    const ch = text[pos];
    if (quote !== undefined) {
      if (ch === '\\') pos++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if ((ch === ']' || ch === ')') && depth > 0) depth--;
    else if ((ch === ',' || ch === ')') && depth === 0) break;
  }
  const argument = text.slice(start, pos).trim();
  if (argument === '') return 'empty argument';
  return { argument: { quoted: false, text: argument }, end: pos };
}

function skipSpace(text: string, pos: number): number {
  while (pos < text.length && /\s/.test(text[pos])) pos++;
  return pos;
}
