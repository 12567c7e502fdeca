/**
 * SQL built from pieces that keep their parameters beside them, given their
 * placeholders (`$1..$n`, `?`) only when the statement is rendered. Filter translation drops pieces it cannot
 * use (one side of an `and`), so numbering while building would leave holes.
 * Interpolating a plain string is a type error: raw SQL has to be asked for with `raw`.
 */
export interface Param {
  readonly param: unknown;
}

type Part = string | Param;

export class Sql {
  private constructor(readonly parts: readonly Part[]) {}

  static of(parts: readonly Part[]): Sql {
    return new Sql(parts);
  }
}

export const param = (value: unknown): Param => ({ param: value });

/** Trusted SQL text: identifiers and keywords of this package, never user input. */
export const raw = (text: string): Sql => Sql.of([text]);

export function sql(strings: TemplateStringsArray, ...values: (Sql | Param)[]): Sql {
  const parts: Part[] = [];
  strings.forEach((text, index) => {
    parts.push(text);
    if (index < values.length) {
      const value = values[index];
      if (value instanceof Sql) parts.push(...value.parts);
      else parts.push(value);
    }
  });
  return Sql.of(parts);
}

/** Text with `$n` placeholders (numbered from `firstIndex`) and its values, for PostgreSQL. */
export function render(statement: Sql, firstIndex = 1): { text: string; values: unknown[] } {
  return renderWith(statement, (index) => `$${firstIndex + index}`);
}

/** Text with `?` placeholders and its values, for SQLite. */
export function renderPositional(statement: Sql): { text: string; values: unknown[] } {
  return renderWith(statement, () => '?');
}

function renderWith(statement: Sql, placeholder: (index: number) => string): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  let text = '';
  for (const part of statement.parts) {
    if (typeof part === 'string') {
      text += part;
    } else {
      text += placeholder(values.length);
      values.push(part.param);
    }
  }
  return { text, values };
}
