import { compilePattern, type CompilePatternOptions } from './provisioning-pattern.js';
import { ProvisioningPatternError } from './provisioning-pattern-error.js';

const full = '{UD, UN, TD, IDP}';

function build(userName: string, options: CompilePatternOptions): string {
  return compilePattern(options).build({ userName });
}

describe('compilePattern', () => {
  it("builds the example of WSO2's provisioning patterns page", () => {
    // {UD, UN, TD, IDP}, separator "-", john@wso2.com in the primary store of the super tenant, IdP "salesforce".
    expect(build('john@wso2.com', { template: full, separator: '-', idpName: 'salesforce' })).toBe(
      'primary-john@wso2.com-carbon.super-salesforce',
    );
  });

  it.each([
    ['_', 'primary_john@wso2.com_carbon.super_salesforce'],
    ['-', 'primary-john@wso2.com-carbon.super-salesforce'],
    ['.', 'primary.john@wso2.com.carbon.super.salesforce'],
    ['|', 'primary|john@wso2.com|carbon.super|salesforce'],
    ['', 'primaryjohn@wso2.comcarbon.supersalesforce'],
  ])('joins with the literal separator %j', (separator, expected) => {
    expect(build('john@wso2.com', { template: full, separator, idpName: 'salesforce' })).toBe(expected);
  });

  it.each([
    ['_', 'yahoo.com', 'primary_john.wso2.com_carbon.super_salesforce@yahoo.com'],
    ['-', 'yahoo.com', 'primary-john.wso2.com-carbon.super-salesforce@yahoo.com'],
    ['.', 'primary.com', 'primary.john.wso2.com.carbon.super.salesforce@primary.com'],
    ['|', 'primary.com', 'primary|john.wso2.com|carbon.super|salesforce@primary.com'],
  ])('with separator %j and provisioning domain %s replaces "@" and appends the domain', (separator, domain, expected) => {
    expect(build('john@wso2.com', { template: full, separator, domain, idpName: 'salesforce' })).toBe(expected);
  });

  it('handles user names without "@"', () => {
    expect(build('John', { template: full, separator: '_', idpName: 'Salesforce' })).toBe('primary_john_carbon.super_salesforce');
    expect(build('john', { template: full, separator: '_', domain: 'yahoo.com', idpName: 'sf' })).toBe(
      'primary_john_carbon.super_sf@yahoo.com',
    );
  });

  it('takes UD from a DOMAIN/ prefix of the user name, else the configured user store', () => {
    expect(build('SECONDARY/John@wso2.com', { template: full, separator: '-', idpName: 'sf' })).toBe(
      'secondary-john@wso2.com-carbon.super-sf',
    );
    expect(build('LDAP/kim', { template: '{UN}', separator: '-', domain: 'primary.com' })).toBe('kim@primary.com');
    expect(build('kim', { template: '{UD,UN}', separator: '-', userStoreDomain: 'EMPLOYEES' })).toBe('employees-kim');
  });

  it('uses {UN} alone, with and without a provisioning domain', () => {
    expect(build('Kim@WSO2.com', { template: '{UN}', separator: '_' })).toBe('kim@wso2.com');
    expect(build('kim@wso2.com', { template: '{UN}', separator: '_', domain: 'yahoo.com' })).toBe('kim.wso2.com@yahoo.com');
    expect(build('kim', { template: '{UN}', separator: '_', domain: 'yahoo.com' })).toBe('kim@yahoo.com');
  });

  it('leaves an id that already ends with @domain alone', () => {
    expect(build('kim@yahoo.com', { template: '{UN}', separator: '_', domain: 'yahoo.com' })).toBe('kim@yahoo.com');
    expect(build('Kim@Yahoo.com', { template: '{UN}', domain: 'YAHOO.COM' })).toBe('kim@yahoo.com');
    // Ends with "yahoo.com" but not "@yahoo.com": still rewritten.
    expect(build('kim@myyahoo.com', { template: '{UN}', domain: 'yahoo.com' })).toBe('kim.myyahoo.com@yahoo.com');
  });

  it('skips entries whose value is missing, and defaults the tenant', () => {
    expect(build('kim', { template: full, separator: '_' })).toBe('primary_kim_carbon.super');
    expect(build('kim', { template: '{TD, UN, IDP}', separator: '_', tenantDomain: 'Acme.com', idpName: 'google-prod' })).toBe(
      'acme.com_kim_google-prod',
    );
  });

  it('accepts spacing, case and missing braces; defaults to {UN} and "_"', () => {
    expect(compilePattern({ template: ' {ud,UN ,  td} ' }).entries).toEqual(['UD', 'UN', 'TD']);
    expect(compilePattern({ template: 'UN, IDP' }).entries).toEqual(['UN', 'IDP']);
    expect(build('kim', {})).toBe('kim');
    expect(build('kim', { template: '{UD, UN}' })).toBe('primary_kim');
  });

  it('rejects unknown or empty entries and bad domains', () => {
    expect(() => compilePattern({ template: '{UX}' })).toThrow(ProvisioningPatternError);
    expect(() => compilePattern({ template: '{UX}' })).toThrow(
      'invalid provisioning pattern "{UX}": unknown entry "UX"; known: UD, UN, TD, IDP',
    );
    expect(() => compilePattern({ template: '{UD,,UN}' })).toThrow(/empty entry/);
    expect(() => compilePattern({ template: '{}' })).toThrow(/empty entry/);
    expect(() => compilePattern({ template: '{UN}}' })).toThrow(/unbalanced braces/);
    expect(() => compilePattern({ template: '{UN}', domain: 'a b.com' })).toThrow(/invalid provisioning domain/);
    expect(build('kim', { template: '{UN}', domain: '@yahoo.com' })).toBe('kim@yahoo.com');
  });

  it('refuses to build an id for an empty user name', () => {
    expect(() => build('', { template: full })).toThrow(/user name is empty/);
    expect(() => build('PRIMARY/', { template: full })).toThrow(ProvisioningPatternError);
  });
});
