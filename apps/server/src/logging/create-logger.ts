import { pino, type DestinationStream, type Level } from 'pino';
import { SecretScrubber, type Logger } from '@provisio/core';
import { currentRequestId } from '@provisio/core/engine';

/** Field names that hold secrets wherever they appear; a second net under the value scrubber. */
const SECRET_KEYS = [
  'password',
  'clientSecret',
  'client_secret',
  'secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'privateKey',
  'private_key',
  'apiKey',
  'authorization',
  'securityToken',
];

export interface LoggerOptions {
  level: Level | 'silent';
  /** Every secret value the manifest holds; scrubbed from every line, wherever it hides. */
  secrets: Iterable<string>;
  destination?: DestinationStream;
}

export interface ScrubbingLogger {
  logger: Logger;
  /** Add secrets learnt later (tokens fetched at runtime). */
  scrubber: SecretScrubber;
}

/**
 * Structured JSON logs (pino). Secrets are removed twice: by field name
 * (`redact`) and by value (`streamWrite`), so a secret inside an error message
 * or an unexpected field is caught too.
 */
export function createLogger(options: LoggerOptions): ScrubbingLogger {
  const scrubber = new SecretScrubber(options.secrets);
  const paths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `headers.${key}`]);
  const logger = pino(
    {
      level: options.level,
      base: { service: 'provisio' },
      redact: { paths, censor: '********' },
      hooks: { streamWrite: (line) => scrubber.scrub(line) },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      // Every line logged while serving a request names it, whichever logger wrote it (unless it binds one already).
      mixin: (merged, _level, self) => {
        const requestId = currentRequestId();
        if (requestId === undefined || 'requestId' in merged || 'requestId' in self.bindings()) return {};
        return { requestId };
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return { logger: logger as unknown as Logger, scrubber };
}
