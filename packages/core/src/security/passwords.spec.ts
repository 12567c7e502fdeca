import { randomBytes } from 'node:crypto';
import { hashPassword, PasswordSealer, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('stores a salted scrypt hash that verifies the password and nothing else', async () => {
    const hash = await hashPassword('test123-Secret');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(hash).not.toContain('test123-Secret');
    expect(await hashPassword('test123-Secret')).not.toBe(hash);
    expect(await verifyPassword('test123-Secret', hash)).toBe(true);
    expect(await verifyPassword('test123-secret', hash)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('seals and unseals with the key, and refuses tampered or foreign ciphertext', () => {
    const sealer = new PasswordSealer(randomBytes(32));
    const sealed = sealer.seal('pässword!');
    expect(sealed).not.toContain('pässword');
    expect(sealer.unseal(sealed)).toBe('pässword!');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => sealer.unseal(tampered)).toThrow();
    expect(() => new PasswordSealer(randomBytes(32)).unseal(sealed)).toThrow();
    expect(() => new PasswordSealer(randomBytes(16))).toThrow('32 bytes');
  });
});
