// Restricted picklist values of the User locale fields. Salesforce has more
// values than these; this is a realistic subset so that typos are rejected
// exactly as the real org rejects them (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).

export const TIME_ZONE_SID_KEYS: readonly string[] = [
  'Pacific/Kiritimati', 'Pacific/Auckland', 'Australia/Sydney', 'Australia/Brisbane', 'Australia/Adelaide',
  'Australia/Perth', 'Asia/Tokyo', 'Asia/Seoul', 'Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Singapore',
  'Asia/Manila', 'Asia/Bangkok', 'Asia/Jakarta', 'Asia/Kolkata', 'Asia/Colombo', 'Asia/Kathmandu',
  'Asia/Karachi', 'Asia/Dubai', 'Asia/Tehran', 'Asia/Jerusalem', 'Europe/Moscow', 'Europe/Istanbul',
  'Europe/Athens', 'Europe/Helsinki', 'Africa/Cairo', 'Africa/Johannesburg', 'Africa/Nairobi', 'Europe/Berlin',
  'Europe/Paris', 'Europe/Amsterdam', 'Europe/Brussels', 'Europe/Madrid', 'Europe/Rome', 'Europe/Stockholm',
  'Europe/Zurich', 'Africa/Lagos', 'Europe/London', 'Europe/Dublin', 'Europe/Lisbon', 'GMT', 'Atlantic/Azores',
  'America/Sao_Paulo', 'America/Argentina/Buenos_Aires', 'America/Halifax', 'America/New_York',
  'America/Toronto', 'America/Bogota', 'America/Lima', 'America/Chicago', 'America/Mexico_City',
  'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Tijuana', 'America/Anchorage',
  'Pacific/Honolulu', 'Pacific/Pago_Pago',
];

export const LOCALE_SID_KEYS: readonly string[] = [
  'en_US', 'en_GB', 'en_CA', 'en_AU', 'en_IE', 'en_IN', 'en_NZ', 'en_SG', 'en_ZA', 'de_DE', 'de_AT', 'de_CH',
  'fr_FR', 'fr_CA', 'fr_BE', 'fr_CH', 'es_ES', 'es_MX', 'es_AR', 'es_CO', 'it_IT', 'it_CH', 'nl_NL', 'nl_BE',
  'pt_BR', 'pt_PT', 'sv_SE', 'da_DK', 'fi_FI', 'no_NO', 'pl_PL', 'cs_CZ', 'hu_HU', 'ru_RU', 'tr_TR', 'el_GR',
  'ja_JP', 'ko_KR', 'zh_CN', 'zh_TW', 'zh_HK', 'th_TH', 'he_IL', 'ar_AE', 'hi_IN', 'si_LK', 'ta_LK',
];

/** Fully supported Salesforce user interface languages. */
export const LANGUAGE_LOCALE_KEYS: readonly string[] = [
  'en_US', 'en_GB', 'de', 'es', 'es_MX', 'fr', 'it', 'ja', 'ko', 'nl_NL', 'pt_BR', 'ru', 'sv', 'da', 'fi', 'no',
  'th', 'zh_CN', 'zh_TW',
];

export const EMAIL_ENCODING_KEYS: readonly string[] = [
  'UTF-8', 'ISO-8859-1', 'Shift_JIS', 'ISO-2022-JP', 'EUC-JP', 'ks_c_5601-1987', 'Big5', 'GB2312', 'Big5-HKSCS',
  'x-SJIS_0213',
];

export const USER_TYPES: readonly string[] = ['Standard', 'PowerPartner', 'CspLitePortal', 'CustomerSuccess', 'PowerCustomerSuccess', 'CsnOnly', 'Guest'];

export const GROUP_TYPES: readonly string[] = ['Regular', 'Queue', 'Role', 'RoleAndSubordinates', 'Organization', 'Manager', 'ManagerAndSubordinatesInternal'];
