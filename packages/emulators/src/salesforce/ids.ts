// Salesforce record ids: 3-char key prefix + 12 chars, plus a 3-char
// case-safe checksum that turns the 15-char form into the 18-char form.
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export const KEY_PREFIXES = {
  Organization: '00D',
  User: '005',
  Profile: '00e',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  Group: '00G',
  GroupMember: '011',
  UserLicense: '100',
} as const;

/** The 3-char suffix Salesforce appends to a 15-char id. */
function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET.charAt(bits);
  }
  return suffix;
}

/** True when the text has the shape of a 15- or 18-char id (and a valid checksum when 18). */
export function isIdShaped(text: string): boolean {
  if (!ID_SHAPE.test(text)) return false;
  return text.length === 15 || idChecksum(text.slice(0, 15)) === text.slice(15).toUpperCase();
}

/** The canonical 18-char form of an id-shaped string, or undefined. */
export function toId18(text: string): string | undefined {
  if (!isIdShaped(text)) return undefined;
  const id15 = text.slice(0, 15);
  return id15 + idChecksum(id15);
}

/** Issues ids that are unique within one emulator instance. */
export class IdFactory {
  private counter = 0;

  constructor(private readonly podMarker = 'Dn0000') {}

  next(prefix: string): string {
    this.counter++;
    let n = this.counter;
    let serial = '';
    for (let i = 0; i < 6; i++) {
      serial = BASE62.charAt(n % 62) + serial;
      n = Math.floor(n / 62);
    }
    const id15 = prefix + this.podMarker + serial;
    return id15 + idChecksum(id15);
  }
}
