/** Secrets shorter than this would match ordinary text by accident, so they are not searched for. */
export const MIN_SECRET_LENGTH = 4;

function textsOf(value: unknown, depth: number, into: string[]): string[] {
  if (depth > 4 || value === null || value === undefined) return into;
  if (typeof value === 'string') {
    into.push(value);
    return into;
  }
  if (typeof value !== 'object') return into;
  if (value instanceof Error) {
    into.push(value.message, value.stack ?? '', String(value));
    textsOf(value.cause, depth + 1, into);
  }
  for (const [key, inner] of Object.entries(value)) {
    if (key !== 'cause') textsOf(inner, depth + 1, into);
  }
  return into;
}

/**
 * The position (in `secrets`) of the first secret found anywhere in `value`: an error's
 * message, stack, cause chain and own properties, or a health report. Never the secret itself,
 * so that reporting a leak does not leak it again.
 */
export function findSecretLeak(value: unknown, secrets: readonly string[]): number | undefined {
  const texts = textsOf(value, 0, []);
  const index = secrets.findIndex((secret) => secret.length >= MIN_SECRET_LENGTH && texts.some((text) => text.includes(secret)));
  return index < 0 ? undefined : index;
}
