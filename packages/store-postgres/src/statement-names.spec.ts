import { statementName } from './statement-names.js';

describe('statementName', () => {
  it('names each text once and the same every time, and leaves texts past the bound unnamed', () => {
    const first = statementName('SELECT 1');
    expect(first).toMatch(/^provisio_\d+$/);
    expect(statementName('SELECT 1')).toBe(first);
    const names = Array.from({ length: 600 }, (_, i) => statementName(`SELECT ${i + 2}`));
    expect(new Set(names.filter((n) => n !== undefined)).size).toBe(499);
    expect(names.slice(499).every((n) => n === undefined)).toBe(true);
    expect(statementName('SELECT 1')).toBe(first); // a named text keeps its name past the bound
  });
});
