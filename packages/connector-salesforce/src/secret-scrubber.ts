const MASK = '********';

/** Replaces every known secret value (and the live access token) in text we throw or log. */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string): void {
    // Very short values would mask ordinary words; config validation keeps real secrets longer.
    if (secret.length >= 4) this.secrets.add(secret);
  }

  scrub(text: string): string {
    let out = text;
    // Longest first, so a password that contains another secret is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(MASK);
    return out;
  }

  /** The same error, its message scrubbed in place (its kind and fields kept). */
  scrubError<T>(error: T): T {
    if (error instanceof Error) error.message = this.scrub(error.message);
    return error;
  }
}
