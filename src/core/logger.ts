import { pino, type Logger } from 'pino';

/**
 * The process logger: JSON lines on stdout. Secrets never reach it — the
 * redaction list is a second line of defence for field names that could
 * carry them, not the first.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { svc: 'shomei' },
      redact: {
        paths: ['hmacKey', '*.hmacKey', 'privateKey', '*.privateKey', 'headers.authorization', '*.headers.authorization', 'key', '*.keyPem'],
        censor: '[redacted]',
      },
    },
    destination ?? process.stdout,
  );
}
