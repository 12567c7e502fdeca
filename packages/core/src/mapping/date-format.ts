/**
 * .NET custom date and time format strings, the ones Entra's FormatDateTime takes: yyyy, yy, MM, M,
 * dd, d, HH, H, mm, m, ss, s, f..fffffff (fractions), zzz/zz/z (offset) and K (Z or offset). Any
 * other character is a literal, as are 'quoted' text and \escaped characters; a letter that is no
 * token here (YYYY, DD, MMM) is refused rather than copied, because it is nearly always a typo.
 */
type Token = { kind: 'field'; letter: string; width: number } | { kind: 'literal'; text: string };

export interface DateFormat {
  /** The instant written in this format, or undefined when the text does not match it. */
  parse(text: string): Date | undefined;
  /** The instant in this format, in UTC. */
  format(date: Date): string;
}

const WIDTHS: Record<string, readonly number[]> = {
  y: [2, 4],
  M: [1, 2],
  d: [1, 2],
  H: [1, 2],
  m: [1, 2],
  s: [1, 2],
  f: [1, 2, 3, 4, 5, 6, 7],
  z: [1, 2, 3],
  K: [1],
};
/** Letters .NET copies as they are and Entra's examples use as separators (`yyyy-MM-ddTHH:mm:ssZ`). */
const LITERAL_LETTERS = new Set(['T', 'Z']);

function tokenize(format: string): Token[] | string {
  const tokens: Token[] = [];
  for (let i = 0; i < format.length;) {
    const ch = format[i];
    if (ch === "'" || ch === '"') {
      const end = format.indexOf(ch, i + 1);
      if (end < 0) return `unterminated quoted text in ${JSON.stringify(format)}`;
      tokens.push({ kind: 'literal', text: format.slice(i + 1, end) });
      i = end + 1;
    } else if (ch === '\\') {
      if (i + 1 >= format.length) return `a trailing "\\" in ${JSON.stringify(format)}`;
      tokens.push({ kind: 'literal', text: format[i + 1] });
      i += 2;
    } else if (/[A-Za-z]/.test(ch) && !LITERAL_LETTERS.has(ch)) {
      let width = 1;
      while (format[i + width] === ch) width++;
      if (!WIDTHS[ch]?.includes(width))
        return `${JSON.stringify(ch.repeat(width))} is not a supported format token (use yyyy, MM, dd, HH, mm, ss, f..fffffff, zzz, K; quote literal text)`;
      tokens.push({ kind: 'field', letter: ch, width });
      i += width;
    } else {
      tokens.push({ kind: 'literal', text: ch });
      i++;
    }
  }
  return tokens;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const pad = (value: number, width: number): string => String(value).padStart(width, '0');

function fieldPattern(letter: string, width: number): string {
  if (letter === 'f') return `(\\d{${width}})`;
  if (letter === 'z') return width === 3 ? '([+-]\\d{2}:\\d{2})' : width === 2 ? '([+-]\\d{2})' : '([+-]\\d{1,2})';
  if (letter === 'K') return '(Z|[+-]\\d{2}:\\d{2})?';
  if (letter === 'y') return `(\\d{${width}})`;
  return width === 1 ? '(\\d{1,2})' : '(\\d{2})';
}

/** Minutes east of UTC in `+05:30`, `-08`, `Z`. */
function offsetMinutes(text: string | undefined): number {
  if (text === undefined || text === 'Z') return 0;
  const [hours, minutes = '0'] = text.slice(1).split(':');
  const total = Number(hours) * 60 + Number(minutes);
  return text.startsWith('-') ? -total : total;
}

function formatField(date: Date, letter: string, width: number): string {
  switch (letter) {
    case 'y':
      return width === 2 ? pad(date.getUTCFullYear() % 100, 2) : pad(date.getUTCFullYear(), 4);
    case 'M':
      return pad(date.getUTCMonth() + 1, width);
    case 'd':
      return pad(date.getUTCDate(), width);
    case 'H':
      return pad(date.getUTCHours(), width);
    case 'm':
      return pad(date.getUTCMinutes(), width);
    case 's':
      return pad(date.getUTCSeconds(), width);
    case 'f':
      return pad(date.getUTCMilliseconds(), 3).padEnd(7, '0').slice(0, width);
    case 'z':
      return width === 3 ? '+00:00' : width === 2 ? '+00' : '+0';
    default:
      return 'Z';
  }
}

/** Compiles a format once; a string is why it cannot be used. */
export function compileDateFormat(format: string): DateFormat | string {
  if (format === '') return 'a date format may not be empty';
  const tokens = tokenize(format);
  if (typeof tokens === 'string') return tokens;
  const fields = tokens.filter((t): t is Extract<Token, { kind: 'field' }> => t.kind === 'field');
  const pattern = new RegExp(
    `^${tokens.map((t) => (t.kind === 'literal' ? escapeRegex(t.text) : fieldPattern(t.letter, t.width))).join('')}$`,
  );
  return {
    parse(text) {
      const match = pattern.exec(text.trim());
      if (!match) return undefined;
      const parts: Record<string, string | undefined> = {};
      fields.forEach((field, index) => (parts[field.letter] = match[index + 1]));
      let year = Number(parts['y'] ?? 1);
      // .NET's two-digit year window: 00-29 are 2000s, 30-99 the 1900s.
      if (parts['y']?.length === 2) year += year < 30 ? 2000 : 1900;
      const month = Number(parts['M'] ?? 1);
      const day = Number(parts['d'] ?? 1);
      const [hour, minute, second] = [Number(parts['H'] ?? 0), Number(parts['m'] ?? 0), Number(parts['s'] ?? 0)];
      const millis = Math.round(Number(`0.${parts['f'] ?? '0'}`) * 1000);
      if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
      const date = new Date(0);
      // setUTCFullYear, not Date.UTC, which reads years below 100 as 19xx.
      date.setUTCFullYear(year, month - 1, day);
      date.setUTCHours(hour, minute, second, millis);
      // 31 February rolls over to March: that is not a date.
      if (date.getUTCDate() !== day || day < 1) return undefined;
      return new Date(date.getTime() - offsetMinutes(parts['z'] ?? parts['K']) * 60_000);
    },
    format(date) {
      return tokens.map((t) => (t.kind === 'literal' ? t.text : formatField(date, t.letter, t.width))).join('');
    },
  };
}
