import { queryPath, soqlList, soqlString } from './soql.js';

describe('SOQL literals', () => {
  it('escapes quotes and backslashes so a value cannot end the literal', () => {
    expect(soqlString("o'brien@example.com")).toBe("'o\\'brien@example.com'");
    expect(soqlString('a\\b')).toBe("'a\\\\b'");
    expect(soqlString("x' OR Username != '")).toBe("'x\\' OR Username != \\''");
    expect(soqlString('line\nbreak\t"q"')).toBe('\'line\\nbreak\\t\\"q\\"\'');
  });

  it('leaves LIKE wildcards alone (we never build LIKE from data)', () => {
    expect(soqlString('50%_off')).toBe("'50%_off'");
  });

  it('builds IN lists and query paths', () => {
    expect(soqlList(['a', "b'"])).toBe("('a', 'b\\'')");
    expect(queryPath("SELECT Id FROM User WHERE Username = 'a+b@x.com'")).toBe(
      "query?q=SELECT%20Id%20FROM%20User%20WHERE%20Username%20%3D%20'a%2Bb%40x.com'",
    );
  });
});
