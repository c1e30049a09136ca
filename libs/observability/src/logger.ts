import type { LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import { pino, type DestinationStream, type Level, type Logger as PinoInstance } from 'pino';
import { currentRequestContext } from './request-context';

export type LogLevel = Level | 'silent';

/** Headers that carry credentials or replayable keys: never written, whoever logs a request's headers. */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'idempotency-key', 'x-wallet-signature', 'x-signature'];
/**
 * Fields that hold secrets or personal data wherever they turn up (top level or one level down):
 * credentials, and the customer's name, email and phone. Bodies are never logged at all (a message
 * body is the customer's own words); `body` is listed so that a mistake does not leak one.
 */
const SECRET_FIELDS = ['password', 'token', 'secret', 'apiKey', 'idempotencyKey', 'customerName', 'email', 'phone', 'body'];

/** Paths pino blanks out, as `[redacted]`, in every line: a second line of defence behind logging no headers and no bodies. */
export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
  'customer.name',
  '*.customer.name',
];

export interface LoggerSettings {
  level: LogLevel;
  /** Human-readable lines through pino-pretty (NODE_ENV=development only); JSON otherwise. */
  pretty: boolean;
}

/**
 * pino-pretty is a development dependency: a production image (npm prune --omit=dev) does not
 * have it, and must not need it. Without it the lines stay JSON.
 */
function prettyStream(): DestinationStream | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
    return pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service,context', messageFormat: '{if context}[{context}] {end}{msg}' });
  } catch {
    return undefined;
  }
}

/**
 * The process's root logger: one JSON object per line on stdout (or `destination`), with the
 * service name, an ISO time and the level as a word, secrets and personal data redacted.
 */
export function createLogger(service: string, settings: LoggerSettings, destination?: DestinationStream): PinoInstance {
  const pretty = !destination && settings.pretty ? prettyStream() : undefined;
  const logger = pino(
    {
      level: settings.level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    },
    destination ?? pretty ?? pino.destination({ dest: 1, sync: true }),
  );
  if (settings.pretty && !destination && !pretty) logger.warn('pino-pretty is not installed: logging JSON');
  return logger;
}

/** Nest's start-up chatter (every module loaded, every route mapped): debug, not info. */
const BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/**
 * nestjs-pino's PinoLogger writing to this process's root logger, or to the current request's (or
 * job's) child of it, with its request id. nestjs-pino keeps its own root in module state (the
 * first app made wins) and finds the request's logger only in its own storage; both are replaced
 * here so that each app logs where it was told to, and code under a job logs with the job's id.
 */
class ContextualPinoLogger extends PinoLogger {
  constructor(private readonly root: PinoInstance) {
    super({ pinoHttp: { logger: root } });
  }

  override get logger(): PinoInstance {
    const context = currentRequestContext();
    if (!context) return this.root;
    context.logger ??= this.root.child(context.bindings);
    return context.logger;
  }

  protected override call(method: Level, ...args: [msg: string, ...rest: unknown[]] | [obj: object, msg?: string, ...rest: unknown[]]): void {
    const first = args[0] as { context?: unknown } | undefined;
    const quiet = method === 'info' && typeof first === 'object' && first !== null && BOOT_CONTEXTS.has(String(first.context));
    super.call(quiet ? 'debug' : method, ...args);
  }
}

/**
 * Nest's LoggerService over the root logger (nestjs-pino's Logger): what `new Logger(Context)`
 * writes to once the app is created with it, or after `Logger.overrideLogger`. The context
 * becomes a `context` field; an Error becomes `err` with its stack.
 */
export function nestLogger(root: PinoInstance): LoggerService {
  return new NestPinoLogger(new ContextualPinoLogger(root), {});
}

/** How an app logs: with the process's root logger, or one made for it (tests: a level, a stream to read the lines from). */
export interface AppLogOptions {
  logger?: PinoInstance;
  level?: LogLevel;
  destination?: DestinationStream;
}

/** The root logger an app (API, worker) writes to; LOG_LEVEL and NODE_ENV decide unless the options say. */
export function appLogger(service: string, settings: LoggerSettings, options: AppLogOptions = {}): PinoInstance {
  return options.logger ?? createLogger(service, { ...settings, level: options.level ?? settings.level }, options.destination);
}
