/** Letters that carry no combining mark to strip, written as Entra's NormalizeDiacritics table writes them. */
const LETTERS: Record<string, string> = {
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'TH',
  ß: 'ss',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
};
const SPECIAL = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'g');

/**
 * Accented letters become their plain ones (`Zoë` → `Zoe`, `Łukasz` → `Lukasz`), for names that go
 * into user names and email addresses: decompose, drop the combining marks, then the table above.
 */
export function normalizeDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(SPECIAL, (letter) => LETTERS[letter])
    .normalize('NFC');
}
