// RFC 7644 §3.4.2.2 filter grammar (and the SCIM 1.1 subset) parsed into a small AST.
import { badRequest } from './scim-errors.js';

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type CompValue = string | number | boolean | null;
export type ScimDialect = 'v2' | 'v1';

export type FilterNode =
  | { kind: 'compare'; path: string; op: CompareOp; value: CompValue }
  | { kind: 'present'; path: string }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; filter: FilterNode }
  | { kind: 'valuePath'; path: string; filter: FilterNode };

type Token = { kind: 'punct'; text: '(' | ')' | '[' | ']' } | { kind: 'string'; text: string } | { kind: 'word'; text: string };

const V2_OPS: readonly CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
// SCIM 1.1 protocol §3.2.2.1 has no "ne", "ew", "not" or value paths.
const V1_OPS: readonly CompareOp[] = ['eq', 'co', 'sw', 'gt', 'ge', 'lt', 'le'];
const MAX_FILTER_LENGTH = 4096;
const MAX_DEPTH = 32;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const ATTR_PATH = /^(urn:[A-Za-z0-9:._-]+:)?[A-Za-z$][\w$-]*(\.[A-Za-z$][\w$-]*)?$/i;

const invalid = (detail: string) => badRequest('invalidFilter', detail);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      tokens.push({ kind: 'punct', text: ch });
      i++;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
      if (j >= input.length) throw invalid('Unterminated string literal in filter');
      try {
        tokens.push({ kind: 'string', text: JSON.parse(input.slice(i, j + 1)) as string });
      } catch {
        throw invalid('Invalid string literal in filter');
      }
      i = j + 1;
    } else {
      let j = i;
      while (j < input.length && !/[\s()[\]"]/.test(input[j])) j++;
      tokens.push({ kind: 'word', text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

class FilterParser {
  private pos = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly dialect: ScimDialect,
  ) {}

  parseAll(): FilterNode {
    const node = this.parseOr(false);
    if (this.pos < this.tokens.length) throw invalid(`Unexpected "${this.tokens[this.pos].text}" in filter`);
    return node;
  }

  private peekWord(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'word' ? t.text.toLowerCase() : undefined;
  }

  private expectPunct(text: string): void {
    const t = this.tokens[this.pos];
    if (t?.kind !== 'punct' || t.text !== text) throw invalid(`Expected "${text}" in filter`);
    this.pos++;
  }

  private parseOr(inValuePath: boolean): FilterNode {
    if (++this.depth > MAX_DEPTH) throw invalid('Filter nests too deeply');
    let left = this.parseAnd(inValuePath);
    while (this.peekWord() === 'or') {
      this.pos++;
      left = { kind: 'or', left, right: this.parseAnd(inValuePath) };
    }
    this.depth--;
    return left;
  }

  private parseAnd(inValuePath: boolean): FilterNode {
    let left = this.parseUnary(inValuePath);
    while (this.peekWord() === 'and') {
      this.pos++;
      left = { kind: 'and', left, right: this.parseUnary(inValuePath) };
    }
    return left;
  }

  private parseUnary(inValuePath: boolean): FilterNode {
    const t = this.tokens[this.pos];
    if (!t) throw invalid('Filter ends unexpectedly');
    if (t.kind === 'punct' && t.text === '(') {
      this.pos++;
      const inner = this.parseOr(inValuePath);
      this.expectPunct(')');
      return inner;
    }
    if (t.kind === 'word' && t.text.toLowerCase() === 'not' && this.tokens[this.pos + 1]?.text === '(') {
      if (this.dialect === 'v1') throw invalid('"not" is not part of the SCIM 1.1 filter grammar');
      this.pos += 2;
      const inner = this.parseOr(inValuePath);
      this.expectPunct(')');
      return { kind: 'not', filter: inner };
    }
    if (t.kind !== 'word') throw invalid(`Expected an attribute path, found "${t.text}"`);
    return this.parseAttrExpression(t.text, inValuePath);
  }

  private parseAttrExpression(path: string, inValuePath: boolean): FilterNode {
    if (!ATTR_PATH.test(path)) throw invalid(`"${path}" is not a valid attribute path`);
    this.pos++;
    const next = this.tokens[this.pos];
    if (next?.kind === 'punct' && next.text === '[') {
      if (this.dialect === 'v1') throw invalid('Value paths ("[...]") are not part of the SCIM 1.1 filter grammar');
      if (inValuePath) throw invalid('Value paths cannot be nested');
      this.pos++;
      const inner = this.parseOr(true);
      this.expectPunct(']');
      return { kind: 'valuePath', path, filter: inner };
    }
    const op = this.peekWord();
    if (op === undefined) throw invalid(`Expected an operator after "${path}"`);
    this.pos++;
    if (op === 'pr') return { kind: 'present', path };
    const ops = this.dialect === 'v1' ? V1_OPS : V2_OPS;
    if (!(ops as readonly string[]).includes(op)) throw invalid(`Unknown filter operator "${op}"`);
    return { kind: 'compare', path, op: op as CompareOp, value: this.parseValue() };
  }

  private parseValue(): CompValue {
    const t = this.tokens[this.pos++];
    if (!t) throw invalid('Filter ends before the comparison value');
    if (t.kind === 'string') return t.text;
    if (t.kind === 'word') {
      // Literals are lowercase in RFC 7159 JSON; SCIM keeps them so.
      if (t.text === 'true') return true;
      if (t.text === 'false') return false;
      if (t.text === 'null') return null;
      if (NUMBER.test(t.text)) return Number(t.text);
    }
    throw invalid(`"${t.text}" is not a valid comparison value (strings must be quoted)`);
  }
}

export function parseFilter(input: string, dialect: ScimDialect = 'v2'): FilterNode {
  if (input.length > MAX_FILTER_LENGTH) throw invalid('Filter is too long');
  if (input.trim() === '') throw invalid('Filter is empty');
  return new FilterParser(tokenize(input), dialect).parseAll();
}
