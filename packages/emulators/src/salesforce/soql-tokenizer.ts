// Splits SOQL text into tokens, remembering each token's column so errors can
// point at it the way Salesforce does (ERROR at Row:1:Column:N).

type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Unescaped value for strings. */
  value: string;
  /** 0-based offset into the query. */
  offset: number;
}

export class SoqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  _: '\\_',
  '%': '\\%',
};

function readString(soql: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < soql.length; i++) {
    const ch = soql[i];
    if (ch === "'") return { value, end: i + 1 };
    if (ch === '\\') {
      const escaped = ESCAPES[soql[i + 1] ?? ''];
      if (escaped === undefined) throw new SoqlSyntaxError('Invalid string literal. Illegal character sequence', i);
      value += escaped;
      i++;
      continue;
    }
    value += ch;
  }
  throw new SoqlSyntaxError('Invalid string literal. Missing closing quote', start);
}

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const ch = soql[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'") {
      const { value, end } = readString(soql, i);
      tokens.push({ kind: 'string', text: soql.slice(i, end), value, offset: i });
      i = end;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(soql.slice(i));
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], value: ident[0], offset: i });
      i += ident[0].length;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?/.exec(soql.slice(i));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], value: number[0], offset: i });
      i += number[0].length;
      continue;
    }
    const op = /^(?:!=|<>|<=|>=|=|<|>)/.exec(soql.slice(i));
    if (op) {
      tokens.push({ kind: 'op', text: op[0], value: op[0], offset: i });
      i += op[0].length;
      continue;
    }
    if ('(),'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, value: ch, offset: i });
      i++;
      continue;
    }
    throw new SoqlSyntaxError(`unexpected token: '${ch}'`, i);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', value: '', offset: soql.length });
  return tokens;
}
