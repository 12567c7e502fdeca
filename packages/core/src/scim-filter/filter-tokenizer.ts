import { ScimFilterError, type ScimFilterErrorType } from './scim-filter-error.js';

export type TokenType = 'lparen' | 'rparen' | 'lbracket' | 'rbracket' | 'string' | 'number' | 'word' | 'eof';

export interface Token {
  type: TokenType;
  /** Source text of the token (for strings: including the quotes). */
  text: string;
  /** Decoded value of string and number tokens. */
  value?: string | number;
  pos: number;
}

const PUNCTUATION: Record<string, TokenType> = { '(': 'lparen', ')': 'rparen', '[': 'lbracket', ']': 'rbracket' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// Attribute paths, URNs (`urn:...:2.0:User:x`), operators and keywords. A leading "." is only
// valid for the `.sub` that may follow `]` in a PATCH path; the parser checks that.
const WORD = /[A-Za-z_$.][A-Za-z0-9_$:.-]*/y;
const WHITESPACE = /[ \t\r\n]/;
const DELIMITERS = /[ \t\r\n()[\]]/;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Splits a filter or path into tokens; throws ScimFilterError on characters no token can start with. */
export function tokenize(text: string, scimType: ScimFilterErrorType): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const ch = text[pos];
    if (WHITESPACE.test(ch)) {
      pos++;
    } else if (ch in PUNCTUATION) {
      tokens.push({ type: PUNCTUATION[ch], text: ch, pos });
      pos++;
    } else if (ch === '"') {
      const token = readString(text, pos, scimType);
      tokens.push(token);
      pos += token.text.length;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const token = readNumber(text, pos, scimType);
      tokens.push(token);
      pos += token.text.length;
    } else {
      WORD.lastIndex = pos;
      const match = WORD.exec(text);
      if (!match) throw new ScimFilterError(scimType, pos, `Unexpected character ${JSON.stringify(ch)}`);
      tokens.push({ type: 'word', text: match[0], pos });
      pos += match[0].length;
    }
  }
  tokens.push({ type: 'eof', text: '', pos: text.length });
  return tokens;
}

function readNumber(text: string, start: number, scimType: ScimFilterErrorType): Token {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  const end = start + (match?.[0].length ?? 0);
  if (!match || (end < text.length && !DELIMITERS.test(text[end]))) {
    throw new ScimFilterError(scimType, start, 'Malformed number');
  }
  return { type: 'number', text: match[0], value: Number(match[0]), pos: start };
}

/** A JSON string literal (RFC 8259 §7), decoded. */
function readString(text: string, start: number, scimType: ScimFilterErrorType): Token {
  let value = '';
  let pos = start + 1;
  while (pos < text.length) {
    const ch = text[pos];
    if (ch === '"') return { type: 'string', text: text.slice(start, pos + 1), value, pos: start };
    if (ch.charCodeAt(0) < 0x20) throw new ScimFilterError(scimType, pos, 'Control character in string; escape it');
    if (ch !== '\\') {
      value += ch;
      pos++;
      continue;
    }
    const escape = text[pos + 1];
    if (escape !== undefined && escape in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[escape];
      pos += 2;
    } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
      value += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
      pos += 6;
    } else {
      throw new ScimFilterError(scimType, pos, 'Invalid escape sequence in string');
    }
  }
  throw new ScimFilterError(scimType, start, 'Unterminated string');
}
