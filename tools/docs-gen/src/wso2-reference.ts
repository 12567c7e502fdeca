// The WSO2 Identity Server outbound provisioning forms (Google, Salesforce,
// SCIM 1.1/2.0) as the reference docs list them, with their sample values, and
// where each field lives in a Provisio manifest. The docs tests check that
// every `configPath` exists in the connector's schema and that every example
// validates, so this table cannot drift from the code silently.

export interface Wso2Field {
  /** The label in WSO2's form. */
  label: string;
  /** The reference docs' sample value. */
  sample: string;
  /** Where it goes in the manifest entry, e.g. `config.domain`, `pattern.template`, `mapping.primaryEmail`. */
  target: string;
  /** The config path when the field is a config field of this connector type (the tables show it next to ours). */
  configPath?: string;
  /** The union variant the config path belongs to, e.g. `auth.flow: password`. */
  variant?: string;
  note?: string;
}

export interface Wso2Form {
  /** WSO2's name of the form. */
  form: string;
  /** Our connector types that replace it. */
  types: string[];
  fields: Wso2Field[];
  /** A manifest entry with the reference docs' sample values (secrets by reference). */
  example: Record<string, unknown>;
}

const CLAIMS = 'http://wso2.org/claims/';

/** The provisioning pattern's template and separator, under the form's own labels, with the docs' sample pattern. */
const patternFields = (templateLabel: string, separatorLabel: string): Wso2Field[] => [
  { label: templateLabel, sample: '{UD, UN, TD, IDP}', target: 'pattern.template' },
  { label: separatorLabel, sample: '_', target: 'pattern.separator' },
];

/** The checkbox every form starts with. */
const ENABLE_CONNECTOR: Wso2Field = { label: 'Enable Connector', sample: 'Selected', target: 'enabled', note: 'true by default' };

export const wso2Forms: Wso2Form[] = [
  {
    form: 'Google Provisioning Configuration',
    types: ['google'],
    fields: [
      ENABLE_CONNECTOR,
      { label: 'Google Domain', sample: 'mygoogledomain.com', target: 'config.domain', configPath: 'domain' },
      {
        label: 'Primary Email',
        sample: `${CLAIMS}emailaddress`,
        target: 'mapping.primaryEmail',
        note: 'the default mapping already uses this claim',
      },
      { label: 'Given Name', sample: `${CLAIMS}givenname`, target: 'mapping.givenName', note: 'default mapping' },
      { label: 'Family Name', sample: `${CLAIMS}lastname`, target: 'mapping.familyName', note: 'default mapping' },
      {
        label: 'Service Account Email',
        sample: 'd343s86gf@developer.gserviceaccount.com',
        target: 'config.serviceAccountEmail',
        configPath: 'serviceAccountEmail',
      },
      {
        label: 'Private Key',
        sample: '<uploaded_file> (PKCS12)',
        target: 'config.privateKey.pkcs12Base64 with format: pkcs12',
        configPath: 'privateKey.pkcs12Base64',
        variant: 'privateKey.format: pkcs12',
        note: 'base64 of the .p12 file, by reference; a JSON key (format: json) also works',
      },
      { label: "Administrator's Email", sample: 'om@mygoogledomain.com', target: 'config.adminEmail', configPath: 'adminEmail' },
      { label: 'Application Name', sample: 'Domain', target: 'config.applicationName', configPath: 'applicationName' },
      ...patternFields('Google Outbound Provisioning pattern', 'Google Provisioning Separator'),
    ],
    example: {
      id: 'google',
      type: 'google',
      enabled: true,
      config: {
        domain: 'mygoogledomain.com',
        serviceAccountEmail: 'd343s86gf@developer.gserviceaccount.com',
        privateKey: { format: 'pkcs12', pkcs12Base64: '${file:google-service-account.p12.b64}' },
        adminEmail: 'om@mygoogledomain.com',
        applicationName: 'Domain',
      },
      mapping: { primaryEmail: `${CLAIMS}emailaddress`, givenName: `${CLAIMS}givenname`, familyName: `${CLAIMS}lastname` },
      pattern: { template: '{UD, UN, TD, IDP}', separator: '_' },
    },
  },
  {
    form: 'Salesforce Provisioning Configuration',
    types: ['salesforce'],
    fields: [
      ENABLE_CONNECTOR,
      { label: 'API version', sample: 'v32.0', target: 'config.apiVersion', configPath: 'apiVersion' },
      {
        label: 'Domain Name',
        sample: 'https://identityprovisioning-dev-ed.my.salesforce.com/',
        target: 'config.domainName',
        configPath: 'domainName',
        note: 'optional: the token response names the instance',
      },
      {
        label: 'Client ID',
        sample: '3MVG8123wefw763na2452683KJNsvrgKBwe4gyksKJ22f3g45',
        target: 'config.auth.clientId',
        configPath: 'auth.clientId',
        variant: 'auth.flow: password',
      },
      {
        label: 'Client Secret',
        sample: '<password>',
        target: 'config.auth.clientSecret',
        configPath: 'auth.clientSecret',
        variant: 'auth.flow: password',
      },
      {
        label: 'Username',
        sample: 'samuel@wso2.com',
        target: 'config.auth.username with flow: password',
        configPath: 'auth.username',
        variant: 'auth.flow: password',
      },
      {
        label: 'Password',
        sample: '<password><security_token>',
        target: 'config.auth.password (+ config.auth.securityToken)',
        configPath: 'auth.password',
        variant: 'auth.flow: password',
        note: 'the token may stay appended, or go in securityToken',
      },
      {
        label: 'OAuth2 Token Endpoint',
        sample: 'https://login.salesforce.com/services/oauth2/token',
        target: 'config.tokenEndpoint',
        configPath: 'tokenEndpoint',
      },
      ...patternFields('Provisioning Pattern', 'Provisioning Separator'),
      { label: 'Provisioning Domain', sample: 'yahoo.com', target: 'pattern.domain' },
    ],
    example: {
      id: 'salesforce',
      type: 'salesforce',
      enabled: true,
      config: {
        apiVersion: 'v32.0',
        domainName: 'https://identityprovisioning-dev-ed.my.salesforce.com/',
        tokenEndpoint: 'https://login.salesforce.com/services/oauth2/token',
        auth: {
          flow: 'password',
          clientId: '3MVG8123wefw763na2452683KJNsvrgKBwe4gyksKJ22f3g45',
          clientSecret: '${env:SALESFORCE_CLIENT_SECRET}',
          username: 'samuel@wso2.com',
          password: '${env:SALESFORCE_PASSWORD}',
          securityToken: '${env:SALESFORCE_SECURITY_TOKEN}',
        },
      },
      pattern: { template: '{UD, UN, TD, IDP}', separator: '_', domain: 'yahoo.com' },
      // The reference docs' claim table with their default values ("advanced claim configuration").
      mapping: {
        Alias: { from: `${CLAIMS}givenname`, default: 'Samuel', transform: 'truncate(8)' },
        Email: { from: `${CLAIMS}emailaddress`, default: 'samuel@wso2.com' },
        EmailEncodingKey: { from: `${CLAIMS}otherphone`, default: 'UTF-8' },
        LanguageLocaleKey: { from: `${CLAIMS}dob`, default: 'en_US' },
        LastName: { from: `${CLAIMS}lastname`, default: 'Gnaniah' },
        LocaleSidKey: { from: `${CLAIMS}primaryChallengeQuestion`, default: 'en_US' },
        ProfileId: { from: `${CLAIMS}role`, default: '00e90000001aV2o' },
        TimeZoneSidKey: { from: `${CLAIMS}challengeQuestion1`, default: 'America/Los_Angeles' },
        UserPermissionsCallCenterAutoLogin: { from: `${CLAIMS}telephone`, default: 'false', transform: 'boolean' },
        UserPermissionsMarketingUser: { from: `${CLAIMS}mobile`, default: 'false', transform: 'boolean' },
        UserPermissionsOfflineUser: { from: `${CLAIMS}country`, default: 'false', transform: 'boolean' },
        Username: { from: `${CLAIMS}emailaddress`, default: 'samuel@wso2.com' },
      },
    },
  },
  {
    form: 'SCIM 1.1 / SCIM 2.0 Provisioning Configuration',
    types: ['scim11', 'scim2'],
    fields: [
      ENABLE_CONNECTOR,
      {
        label: 'Username',
        sample: 'Admin',
        target: 'config.auth.username with type: basic',
        configPath: 'auth.username',
        variant: 'auth.type: basic',
      },
      { label: 'Password', sample: '<password>', target: 'config.auth.password', configPath: 'auth.password', variant: 'auth.type: basic' },
      {
        label: 'User Endpoint',
        sample: 'SCIM 1.1: https://localhost:9443/wso2/scim/Users; SCIM 2.0: https://localhost:9443/scim2/Users',
        target: 'config.userEndpoint (or config.baseUrl)',
        configPath: 'userEndpoint',
      },
      {
        label: 'Group Endpoint',
        sample: 'SCIM 1.1: https://localhost:9443/wso2/scim/Groups; SCIM 2.0: https://localhost:9443/scim2/Groups',
        target: 'config.groupEndpoint',
        configPath: 'groupEndpoint',
      },
      { label: 'User Store Domain', sample: 'Domain', target: 'config.userStoreDomain', configPath: 'userStoreDomain' },
      {
        label: 'Enable Password Provisioning',
        sample: 'Selected',
        target: 'passwordProvisioning: true (and config.enablePasswordProvisioning)',
        configPath: 'enablePasswordProvisioning',
        note: 'the instance flag decides whether inbound passwords reach the connector at all',
      },
      { label: 'Default Password', sample: '<password>', target: 'config.defaultPassword', configPath: 'defaultPassword' },
    ],
    example: {
      id: 'scim-app',
      type: 'scim2',
      enabled: true,
      passwordProvisioning: true,
      config: {
        userEndpoint: 'https://localhost:9443/scim2/Users',
        groupEndpoint: 'https://localhost:9443/scim2/Groups',
        userStoreDomain: 'Domain',
        enablePasswordProvisioning: true,
        defaultPassword: '${env:SCIM_APP_DEFAULT_PASSWORD}',
        auth: { type: 'basic', username: 'Admin', password: '${env:SCIM_APP_PASSWORD}' },
      },
    },
  },
];

/** The WSO2 field shown beside a config field of `type` (in `variant`, for a union's field), if any. */
export function wso2FieldFor(type: string, configPath: string, variant?: string): Wso2Field | undefined {
  return wso2Forms
    .find((f) => f.types.includes(type))
    ?.fields.find((field) => field.configPath === configPath && field.variant === variant);
}
