// A recursive-descent parser for the SOQL subset provisioning needs:
//   SELECT f1, f2 | COUNT() FROM Type
//   [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]
// cond: comparisons (= != <> < <= > >=), [NOT] IN (...), LIKE, NOT, parentheses,
// and AND / OR (never mixed at one level without parentheses, as in SOQL).
import { SoqlSyntaxError, type Token, tokenize } from './soql-tokenizer.js';

export type Literal = string | number | boolean | null;

export interface FieldRef {
  name: string;
  offset: number;
}

export type Condition =
  | { kind: 'compare'; field: FieldRef; op: string; value: Literal; valueIsQuoted: boolean }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: Literal[]; valuesAreQuoted: boolean[] }
  | { kind: 'like'; field: FieldRef; pattern: string }
  | { kind: 'not'; operand: Condition }
  | { kind: 'and' | 'or'; operands: Condition[] };

interface OrderItem {
  field: FieldRef;
  descending: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  count: boolean;
  fields: FieldRef[];
  from: FieldRef;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'ORDER',
  'BY',
  'LIMIT',
  'OFFSET',
  'ASC',
  'DESC',
  'NULLS',
  'FIRST',
  'LAST',
  'NULL',
  'TRUE',
  'FALSE',
];

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (token.kind !== 'eof') this.pos++;
    return token;
  }

  private isKeyword(word: string, token = this.peek()): boolean {
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private unexpected(token = this.peek()): SoqlSyntaxError {
    return new SoqlSyntaxError(`unexpected token: ${token.kind === 'eof' ? '<EOF>' : `'${token.text}'`}`, token.offset);
  }

  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) throw this.unexpected();
    this.next();
  }

  private expectPunct(ch: string): void {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== ch) throw this.unexpected();
    this.next();
  }

  private fieldRef(): FieldRef {
    const token = this.peek();
    if (token.kind !== 'ident' || KEYWORDS.includes(token.text.toUpperCase())) throw this.unexpected();
    this.next();
    return { name: token.text, offset: token.offset };
  }

  parse(): SoqlQuery {
    this.expectKeyword('SELECT');
    let count = false;
    const fields: FieldRef[] = [];
    if (this.isKeyword('COUNT') && this.tokens[this.pos + 1]?.text === '(') {
      this.next();
      this.expectPunct('(');
      this.expectPunct(')');
      count = true;
    } else {
      fields.push(this.fieldRef());
      while (this.peek().text === ',') {
        this.next();
        fields.push(this.fieldRef());
      }
    }
    this.expectKeyword('FROM');
    const from = this.fieldRef();
    const query: SoqlQuery = { count, fields, from, orderBy: [] };
    if (this.isKeyword('WHERE')) {
      this.next();
      query.where = this.condition();
    }
    if (this.isKeyword('ORDER')) {
      this.next();
      this.expectKeyword('BY');
      query.orderBy = this.orderList();
    }
    if (this.isKeyword('LIMIT')) {
      this.next();
      query.limit = this.nonNegativeInteger();
    }
    if (this.isKeyword('OFFSET')) {
      this.next();
      query.offset = this.nonNegativeInteger();
    }
    if (this.peek().kind !== 'eof') throw this.unexpected();
    return query;
  }

  private nonNegativeInteger(): number {
    const token = this.peek();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.unexpected();
    this.next();
    return Number(token.text);
  }

  private orderList(): OrderItem[] {
    const items: OrderItem[] = [];
    for (let guard = 0; guard < 100; guard++) {
      const field = this.fieldRef();
      let descending = false;
      if (this.isKeyword('ASC') || this.isKeyword('DESC')) descending = this.next().text.toUpperCase() === 'DESC';
      let nullsLast = descending;
      if (this.isKeyword('NULLS')) {
        this.next();
        if (!this.isKeyword('FIRST') && !this.isKeyword('LAST')) throw this.unexpected();
        nullsLast = this.next().text.toUpperCase() === 'LAST';
      }
      items.push({ field, descending, nullsLast });
      if (this.peek().text !== ',') return items;
      this.next();
    }
    throw this.unexpected();
  }

  /** One level of AND or OR; mixing them without parentheses is a syntax error in SOQL. */
  private condition(): Condition {
    const first = this.unary();
    const connective = this.isKeyword('AND') ? 'and' : this.isKeyword('OR') ? 'or' : undefined;
    if (!connective) return first;
    const operands = [first];
    for (let guard = 0; guard < 1000; guard++) {
      const token = this.peek();
      if (this.isKeyword(connective === 'and' ? 'OR' : 'AND', token)) throw this.unexpected(token);
      if (!this.isKeyword(connective.toUpperCase(), token)) return { kind: connective, operands };
      this.next();
      operands.push(this.unary());
    }
    throw this.unexpected();
  }

  private unary(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', operand: this.unary() };
    }
    if (this.peek().text === '(') {
      this.next();
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    return this.predicate();
  }

  private predicate(): Condition {
    const field = this.fieldRef();
    if (this.isKeyword('LIKE')) {
      this.next();
      const token = this.next();
      if (token.kind !== 'string') throw this.unexpected(token);
      return { kind: 'like', field, pattern: token.value };
    }
    let negated = false;
    if (this.isKeyword('NOT')) {
      this.next();
      negated = true;
      if (!this.isKeyword('IN')) throw this.unexpected();
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.expectPunct('(');
      const values: Literal[] = [];
      const valuesAreQuoted: boolean[] = [];
      for (let guard = 0; guard < 10_000; guard++) {
        const token = this.peek();
        values.push(this.literal());
        valuesAreQuoted.push(token.kind === 'string');
        if (this.peek().text !== ',') break;
        this.next();
      }
      this.expectPunct(')');
      return { kind: 'in', field, negated, values, valuesAreQuoted };
    }
    const op = this.peek();
    if (op.kind !== 'op') throw this.unexpected(op);
    this.next();
    const valueToken = this.peek();
    const value = this.literal();
    return { kind: 'compare', field, op: op.text === '<>' ? '!=' : op.text, value, valueIsQuoted: valueToken.kind === 'string' };
  }

  private literal(): Literal {
    const token = this.next();
    if (token.kind === 'string') return token.value;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'ident') {
      const word = token.text.toUpperCase();
      if (word === 'NULL') return null;
      if (word === 'TRUE') return true;
      if (word === 'FALSE') return false;
    }
    throw this.unexpected(token);
  }
}

export function parseSoql(soql: string): SoqlQuery {
  return new Parser(tokenize(soql)).parse();
}
