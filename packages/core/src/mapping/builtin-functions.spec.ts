import { isPermanentError } from '../errors.js';
import { compileMapping, type MappingRuleSpec } from './compile-mapping.js';
import { MappingError } from './mapping-error.js';

/** One example: a `from`, the identity it reads, and what the field gets (undefined: left out). */
interface Example {
  from: string;
  input: Record<string, unknown>;
  output: unknown;
}

const valueOf = (from: string, input: object): unknown => compileMapping({ F: from }).apply(input).F;

/**
 * The examples of Entra's "Reference for writing expressions for attribute mappings", as data.
 * Entra writes attributes in brackets (`[mail]`); here they are bare paths, and Entra's
 * optional arguments keep their place where our function has them (formatDateTime).
 */
const ENTRA_EXAMPLES: Record<string, Example[]> = {
  append: [
    {
      from: 'append(userPrincipalName, ".test")',
      input: { userPrincipalName: 'John.Doe@contoso.com' },
      output: 'John.Doe@contoso.com.test',
    },
  ],
  coalesce: [
    {
      from: 'coalesce(mail, userPrincipalName)',
      input: { mail: null, userPrincipalName: 'John.Doe@contoso.com' },
      output: 'John.Doe@contoso.com',
    },
  ],
  formatDateTime: [
    {
      from: 'formatDateTime(extensionAttribute1, , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
      input: { extensionAttribute1: '20150123105347.1Z' },
      output: '2015-01-23',
    },
    {
      from: 'formatDateTime(extensionAttribute1, "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
      input: { extensionAttribute1: '20150123105347.1Z' },
      output: '2015-01-23',
    },
  ],
  iif: [
    { from: 'iif(country = "USA", country, department)', input: { country: 'USA', department: 'Sales' }, output: 'USA' },
    { from: 'iif(country = "USA", country, department)', input: { country: 'Canada', department: 'Sales' }, output: 'Sales' },
  ],
  join: [
    {
      from: 'join("@", normalizeDiacritics(stripSpaces(PreferredFirstName)), "contoso.com")',
      input: { PreferredFirstName: 'John' },
      output: 'John@contoso.com',
    },
  ],
  left: [{ from: 'left("John Doe", 3)', input: {}, output: 'Joh' }],
  normalizeDiacritics: [{ from: 'normalizeDiacritics(givenName)', input: { givenName: 'Zoë' }, output: 'Zoe' }],
  replace: [
    // Entra: Replace([mailNickname], , "[a-zA-Z_]*", , "", , )
    { from: 'replace(mailNickname, "[a-zA-Z_]*", "")', input: { mailNickname: 'john_doe72' }, output: '72' },
    // Entra: Replace([mail], "@contoso.com", , , "", , ): a literal old value is a regex with its dot escaped.
    { from: 'replace(mail, "@contoso\\\\.com", "")', input: { mail: 'john.doe@contoso.com' }, output: 'john.doe' },
  ],
  split: [
    {
      from: 'split(extensionAttribute5, ",")',
      input: { extensionAttribute5: 'PermissionSetOne,PermissionSetTwo' },
      output: ['PermissionSetOne', 'PermissionSetTwo'],
    },
  ],
  switch: [
    {
      from: 'switch(state, "Australia/Sydney", "NSW", "Australia/Sydney", "QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")',
      input: { state: 'QLD' },
      output: 'Australia/Brisbane',
    },
  ],
};

/** The rules Entra's reference states in words (null handling, bounds), as data. */
const DOCUMENTED_RULES: Record<string, Example[]> = {
  append: [
    { from: 'append(userPrincipalName, ".test")', input: {}, output: undefined },
    { from: 'append(userPrincipalName, suffix)', input: { userPrincipalName: 'a' }, output: 'a' },
  ],
  coalesce: [
    { from: 'coalesce(mail, userPrincipalName, "nobody@contoso.com")', input: {}, output: 'nobody@contoso.com' },
    { from: 'coalesce(mail, userPrincipalName)', input: {}, output: undefined },
  ],
  formatDateTime: [
    { from: 'formatDateTime(hired, "yyyy-MM-dd", "yyyyMMddHHmmss.fZ")', input: { hired: '2021-03-09' }, output: '20210309000000.0Z' },
    {
      from: 'formatDateTime(meta.created, "yyyy-MM-ddTHH:mm:ssK", "dd/MM/yyyy HH:mm")',
      input: { meta: { created: '2024-02-29T23:30:00+02:00' } },
      output: '29/02/2024 21:30',
    },
    { from: 'formatDateTime(hired, "yyyy-MM-ddzzz", "yyyyMMdd")', input: { hired: '2021-03-09-08:00' }, output: '20210309' },
    { from: 'formatDateTime(hired, "yyyyMMdd", "yyyy-MM-dd")', input: {}, output: undefined },
  ],
  iif: [
    { from: 'iif(active, "enabled", "disabled")', input: { active: true }, output: 'enabled' },
    { from: 'iif(active, "enabled", "disabled")', input: { active: 'False' }, output: 'disabled' },
    { from: 'iif(active, "enabled", "disabled")', input: {}, output: 'disabled' },
    { from: 'iif(country <> "USA", "abroad", "home")', input: { country: 'USA' }, output: 'home' },
    { from: 'iif(country <> "USA", "abroad", "home")', input: {}, output: 'abroad' },
  ],
  join: [
    // Every value of a multi-valued attribute is joined.
    { from: 'join(", ", emails.value)', input: { emails: [{ value: 'a@x' }, { value: 'b@x' }] }, output: 'a@x, b@x' },
    {
      from: 'join(" ", name.givenName, name.middleName, name.familyName)',
      input: { name: { givenName: 'Ada', familyName: 'Lovelace' } },
      output: 'Ada Lovelace',
    },
    { from: 'join("@", PreferredFirstName, "contoso.com")', input: {}, output: undefined },
    { from: 'join(";", split(groups, ","), "all")', input: { groups: 'a,b' }, output: 'a;b;all' },
  ],
  left: [
    { from: 'left(name, 0)', input: { name: 'John Doe' }, output: undefined },
    { from: 'left(name, -1)', input: { name: 'John Doe' }, output: 'John Doe' },
    { from: 'left(name, 20)', input: { name: 'John Doe' }, output: 'John Doe' },
    { from: 'left(name, "2")', input: { name: 'Zoë' }, output: 'Zo' },
    { from: 'left(name, 3)', input: {}, output: undefined },
  ],
  mid: [
    { from: 'mid(name, 6, 3)', input: { name: 'John Doe' }, output: 'Doe' },
    { from: 'mid(name, 6, 30)', input: { name: 'John Doe' }, output: 'Doe' },
    { from: 'mid(name, 1, 1)', input: { name: 'John Doe' }, output: 'J' },
    { from: 'mid(name, 20, 2)', input: { name: 'John Doe' }, output: undefined },
  ],
  normalizeDiacritics: [
    {
      from: 'normalizeDiacritics(name)',
      input: { name: 'Łukasz Ørsted-Ærø Straße Ångström çığ' },
      output: 'Lukasz Orsted-AEro Strasse Angstrom cig',
    },
    { from: 'normalizeDiacritics(name)', input: {}, output: undefined },
  ],
  replace: [
    { from: 'replace(phone, "^\\\\+(\\\\d+) ", "00$1-")', input: { phone: '+44 20 7946 0000' }, output: '0044-20 7946 0000' },
    { from: 'replace(mail, "@.*", domain)', input: { mail: 'kim@old.example', domain: '@new.example' }, output: 'kim@new.example' },
    { from: 'replace(mailNickname, "x", "")', input: {}, output: undefined },
  ],
  split: [{ from: 'split(extensionAttribute5, ",")', input: {}, output: undefined }],
  stripSpaces: [
    { from: 'stripSpaces(displayName)', input: { displayName: ' John  Doe ' }, output: 'JohnDoe' },
    { from: 'stripSpaces(displayName)', input: { displayName: 'John\tDoe' }, output: 'John\tDoe' },
  ],
  switch: [
    {
      from: 'switch(state, "Australia/Sydney", "NSW", "Australia/Sydney", "QLD", "Australia/Brisbane")',
      input: { state: 'WA' },
      output: 'Australia/Sydney',
    },
    {
      from: 'switch(state, "Australia/Sydney", "NSW", "Australia/Sydney", "QLD", "Australia/Brisbane")',
      input: {},
      output: 'Australia/Sydney',
    },
    { from: 'switch(state, "Australia/Sydney", "QLD", "Australia/Brisbane")', input: { state: 'qld' }, output: 'Australia/Sydney' },
  ],
  concat: [
    { from: 'concat(name.givenName, " ", name.familyName)', input: { name: { familyName: 'Paul' } }, output: ' Paul' },
    { from: 'concat(name.givenName, " ")', input: {}, output: undefined },
  ],
};

describe('built-in functions: Entra’s documented examples', () => {
  for (const [fn, examples] of Object.entries(ENTRA_EXAMPLES))
    it.each(examples)(`${fn}: $from`, ({ from, input, output }) => expect(valueOf(from, input)).toEqual(output));
});

describe('built-in functions: the rules Entra documents (missing values, bounds)', () => {
  for (const [fn, examples] of Object.entries(DOCUMENTED_RULES))
    it.each(examples)(`${fn}: $from with $input`, ({ from, input, output }) => expect(valueOf(from, input)).toEqual(output));

  it('nest, and a missing result lets the default and transforms apply', () => {
    const mapping = compileMapping({
      Alias: { from: 'left(normalizeDiacritics(stripSpaces(join("", left(name.givenName, 1), name.familyName))), 8)', transform: 'lower' },
      Title: { from: 'coalesce(title, switch(userType, , "Employee", "Staff"))', default: 'Guest' },
    });
    expect(mapping.apply({ name: { givenName: 'Zoë', familyName: 'Saldaña Pérez' }, userType: 'Employee' })).toEqual({
      Alias: 'zsaldana',
      Title: 'Staff',
    });
    expect(mapping.apply({ name: { familyName: 'Ng' } })).toEqual({ Alias: 'ng', Title: 'Guest' });
  });

  it('fail a job permanently, naming the field, when a value cannot be converted', () => {
    const mapping = compileMapping({ Hired: 'formatDateTime(hired, "yyyyMMdd", "yyyy-MM-dd")', Left: 'left(emails, 2)' });
    const failure = (input: object): Error => {
      try {
        mapping.apply(input);
      } catch (error) {
        expect(isPermanentError(error)).toBe(true);
        return error as Error;
      }
      throw new Error('expected a failure');
    };
    expect(failure({ hired: '2015-01-23' }).message).toBe(
      'mapping.Hired: formatDateTime: "2015-01-23" is not a date in the input format "yyyyMMdd"',
    );
    expect(failure({ hired: '20150230' }).message).toMatch(/"20150230" is not a date/);
    expect(failure({ emails: [{ value: 'a@x' }] }).message).toMatch(/^mapping\.Left: left works on text, but got an object/);
  });
});

function problemsOf(rules: Record<string, MappingRuleSpec>): Record<string, string> {
  try {
    compileMapping(rules);
  } catch (error) {
    if (error instanceof MappingError) return Object.fromEntries(error.issues.map((i) => [i.field, i.message]));
    throw error;
  }
  return {};
}

describe('built-in functions: checked when the mapping compiles', () => {
  it('name the nearest function, the arity and the signature', () => {
    const problems = problemsOf({
      A: 'Join("@", userName)',
      B: 'left(userName)',
      C: 'switch(state, "x", "NSW")',
      D: 'concat(name.givenName, coalesc(nickName, "x"))',
    });
    expect(problems['mapping.A']).toMatch(/^unknown function "Join"; did you mean "join"\? \(functions: append, coalesce, concat, /);
    expect(problems['mapping.B']).toBe('left takes 2 arguments ("left(userName)" gives 1): left(source, numChars)');
    expect(problems['mapping.C']).toMatch(/^switch takes at least 4 arguments/);
    expect(problems['mapping.D']).toMatch(/^in concat: unknown function "coalesc"; did you mean "coalesce"\?/);
  });

  it('refuse arguments that must be literals, formats and regexes that cannot work, and lists where one value goes', () => {
    const problems = problemsOf({
      Count: 'left(userName, nickName)',
      Start: 'mid(userName, 0, 2)',
      Format: 'formatDateTime(hired, "YYYY-MM-DD", "yyyy")',
      Styles: 'formatDateTime(hired, "AdjustToUniversal", "yyyy", "yyyy")',
      Regex: 'replace(userName, "(", "")',
      List: 'left(split(userName, "."), 2)',
      Pairs: 'switch(state, "x", "NSW", "a", "QLD")',
      Empty: 'append(userName, )',
      Delimiter: 'split(userName, nickName)',
    });
    expect(problems['mapping.Count']).toBe(
      'in "left(userName, nickName)": left\'s numChars must be a whole number written in the mapping, got nickName',
    );
    expect(problems['mapping.Start']).toMatch(/mid's start counts from 1/);
    expect(problems['mapping.Format']).toMatch(/input format: "YYYY" is not a supported format token/);
    expect(problems['mapping.Styles']).toMatch(/dateTimeStyles .* is not supported: leave it empty/);
    expect(problems['mapping.Regex']).toMatch(/replace's regex "\(" is not valid/);
    expect(problems['mapping.List']).toBe(
      'left: argument 1 (split(userName, ".")) is a list, and left takes single values: left(source, numChars)',
    );
    expect(problems['mapping.Pairs']).toMatch(/keys and values in pairs after \(source, default\); the key "QLD" has no value/);
    expect(problems['mapping.Empty']).toBe('append: argument 2 of "append(userName, )" is empty: append(source, suffix)');
    expect(problems['mapping.Delimiter']).toMatch(/split's delimiter must be quoted text written in the mapping/);
  });

  it('allow a comparison only as iif’s condition, and selectUniqueValue only as a whole from', () => {
    const problems = problemsOf({
      Compare: 'concat(country = "USA")',
      Nested: 'lower(selectUniqueValue(a, b))',
      InJoin: 'join("", selectUniqueValue(a, b))',
      One: 'selectUniqueValue(userName)',
      Syntax: 'iif(country == "USA", "a", "b")',
      Open: 'join("@", userName',
    });
    expect(problems['mapping.Compare']).toBe(
      'in concat: a comparison (country = "USA") can only be the condition of iif(condition, valueIfTrue, valueIfFalse)',
    );
    expect(problems['mapping.Nested']).toMatch(/^unknown function "lower"/);
    expect(problems['mapping.InJoin']).toMatch(/selectUniqueValue picks a value when the account is created: it must be the whole `from`/);
    expect(problems['mapping.One']).toMatch(/^selectUniqueValue takes at least 2 candidates/);
    expect(problems['mapping.Syntax']).toMatch(/compare with "=" or "<>" \(as in Entra\) \(at character 13\)/);
    expect(problems['mapping.Open']).toMatch(/missing "\)"/);
  });
});
