import {
  COMPARE_OPERATORS,
  type AttrPath,
  type CompareOperator,
  type CompareValue,
  type FilterNode,
  type PatchPath,
} from './filter-ast.js';
import { readAttrPath } from './attribute-path.js';
import { ScimFilterError, type ScimFilterErrorType } from './scim-filter-error.js';
import { tokenize, type Token } from './filter-tokenizer.js';

export interface ParseLimits {
  /** Longest input accepted (characters). */
  maxLength?: number;
  /** Deepest nesting of parentheses, `not` and `[...]` accepted; keeps hostile input off the stack. */
  maxDepth?: number;
}

export const DEFAULT_MAX_FILTER_LENGTH = 10_000;
export const DEFAULT_MAX_FILTER_DEPTH = 50;

const ORDERING_OPERATORS = new Set<CompareOperator>(['gt', 'ge', 'lt', 'le']);
const SUBSTRING_OPERATORS = new Set<CompareOperator>(['co', 'sw', 'ew']);

/** Parses a SCIM filter (`userName eq "bjensen" and not (emails[type eq "work"] pr)`). */
export function parseFilter(text: string, limits: ParseLimits = {}): FilterNode {
  const parser = new FilterParser(text, 'invalidFilter', limits);
  const filter = parser.parseOr(false);
  parser.expectEnd();
  return filter;
}

/** Parses a PATCH operation path: `attr`, `attr.sub`, `urn:...:attr`, `attr[filter]`, `attr[filter].sub`. */
export function parsePatchPath(text: string, limits: ParseLimits = {}): PatchPath {
  const parser = new FilterParser(text, 'invalidPath', limits);
  const patchPath = parser.parsePatchPath();
  parser.expectEnd();
  return patchPath;
}

class FilterParser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;
  private readonly maxDepth: number;

  constructor(
    text: string,
    private readonly scimType: ScimFilterErrorType,
    limits: ParseLimits,
  ) {
    const maxLength = limits.maxLength ?? DEFAULT_MAX_FILTER_LENGTH;
    this.maxDepth = limits.maxDepth ?? DEFAULT_MAX_FILTER_DEPTH;
    if (typeof text !== 'string') throw new ScimFilterError(scimType, 0, 'Expected a string');
    if (text.length > maxLength) throw new ScimFilterError(scimType, maxLength, `Longer than ${maxLength} characters`);
    this.tokens = tokenize(text, scimType);
    if (this.peek().type === 'eof') throw this.error(this.peek(), scimType === 'invalidPath' ? 'Empty path' : 'Empty filter');
  }

  // Precedence, loosest first: or < and < not/grouping/attribute expression.
  parseOr(inBrackets: boolean): FilterNode {
    let left = this.parseAnd(inBrackets);
    while (this.isKeyword('or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd(inBrackets) };
    }
    return left;
  }

  parsePatchPath(): PatchPath {
    const token = this.next();
    const path = this.attrPathFrom(token);
    if (this.peek().type !== 'lbracket') return { path };
    if (path.subAttribute !== undefined) throw this.error(this.peek(), `"[" cannot follow sub-attribute "${path.subAttribute}"`);
    const valueFilter = this.parseBrackets();
    const result: PatchPath = { path, valueFilter };
    const after = this.peek();
    if (after.type === 'word' && after.text.startsWith('.')) {
      this.next();
      const sub = readAttrPath(after.text.slice(1));
      if (typeof sub === 'string' || sub.schema !== undefined || sub.subAttribute !== undefined) {
        throw this.error(after, `"${after.text}" is not a valid sub-attribute`);
      }
      result.subAttribute = sub.attribute;
    }
    return result;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.type === 'eof') return;
    if (token.type === 'rparen') throw this.error(token, 'Unbalanced ")"');
    if (token.type === 'rbracket') throw this.error(token, 'Unbalanced "]"');
    throw this.error(token, `Expected "and", "or" or the end, found ${describe(token)}`);
  }

  private parseAnd(inBrackets: boolean): FilterNode {
    let left = this.parseUnary(inBrackets);
    while (this.isKeyword('and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary(inBrackets) };
    }
    return left;
  }

  private parseUnary(inBrackets: boolean): FilterNode {
    const token = this.peek();
    if (this.isKeyword('not')) {
      this.next();
      const open = this.peek();
      if (open.type !== 'lparen') throw this.error(open, `Expected "(" after "not", found ${describe(open)}`);
      return { kind: 'not', filter: this.parseGroup(inBrackets) };
    }
    if (token.type === 'lparen') return this.parseGroup(inBrackets);
    if (token.type !== 'word' || this.isKeyword('and') || this.isKeyword('or')) {
      throw this.error(token, `Expected an attribute path, "(" or "not", found ${describe(token)}`);
    }
    return this.parseAttributeExpression(inBrackets);
  }

  private parseGroup(inBrackets: boolean): FilterNode {
    const open = this.next();
    this.enter(open);
    const inner = this.parseOr(inBrackets);
    const close = this.next();
    if (close.type !== 'rparen') throw this.error(close, `Expected ")" to close the "(" at position ${open.pos}, found ${describe(close)}`);
    this.depth--;
    return inner;
  }

  private parseAttributeExpression(inBrackets: boolean): FilterNode {
    const pathToken = this.next();
    const path = this.attrPathFrom(pathToken);
    if (this.peek().type === 'lbracket') {
      if (inBrackets) throw this.error(this.peek(), 'Value filters cannot be nested');
      if (path.subAttribute !== undefined) throw this.error(this.peek(), `"[" cannot follow sub-attribute "${path.subAttribute}"`);
      return { kind: 'valuePath', path, filter: this.parseBrackets() };
    }
    const opToken = this.next();
    const op = opToken.type === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    if (!isCompareOperator(op)) {
      throw this.error(
        opToken,
        `Expected an operator (${COMPARE_OPERATORS.join(', ')}, pr) after "${pathToken.text}", found ${describe(opToken)}`,
      );
    }
    const valueToken = this.next();
    const value = this.compareValueFrom(valueToken);
    if (ORDERING_OPERATORS.has(op) && (typeof value === 'boolean' || value === null)) {
      throw this.error(valueToken, `"${op}" cannot compare with ${String(value)}`);
    }
    if (SUBSTRING_OPERATORS.has(op) && typeof value !== 'string') {
      throw this.error(valueToken, `"${op}" needs a string value`);
    }
    return { kind: 'compare', path, op, value };
  }

  private parseBrackets(): FilterNode {
    const open = this.next();
    this.enter(open);
    const filter = this.parseOr(true);
    const close = this.next();
    if (close.type !== 'rbracket')
      throw this.error(close, `Expected "]" to close the "[" at position ${open.pos}, found ${describe(close)}`);
    this.depth--;
    return filter;
  }

  private compareValueFrom(token: Token): CompareValue {
    if (token.type === 'string' || token.type === 'number') return token.value as CompareValue;
    if (token.type === 'word') {
      const word = token.text.toLowerCase();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
    }
    throw this.error(token, `Expected a value (a "string", a number, true, false or null), found ${describe(token)}`);
  }

  private attrPathFrom(token: Token): AttrPath {
    if (token.type !== 'word') throw this.error(token, `Expected an attribute path, found ${describe(token)}`);
    const path = readAttrPath(token.text);
    if (typeof path === 'string') throw this.error(token, path);
    return path;
  }

  private enter(token: Token): void {
    if (++this.depth > this.maxDepth) throw this.error(token, `Nested deeper than ${this.maxDepth} levels`);
  }

  private isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.type === 'word' && token.text.toLowerCase() === keyword;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.type !== 'eof') this.index++;
    return token;
  }

  private error(token: Token, detail: string): ScimFilterError {
    return new ScimFilterError(this.scimType, token.pos, detail);
  }
}

function isCompareOperator(op: string): op is CompareOperator {
  return (COMPARE_OPERATORS as readonly string[]).includes(op);
}

function describe(token: Token): string {
  return token.type === 'eof'
    ? 'the end of the input'
    : JSON.stringify(token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text);
}
