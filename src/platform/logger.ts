import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info')): Logger {
  return pino({ level, base: { service: 'candor' }, timestamp: pino.stdTimeFunctions.isoTime });
}
