import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/** Every setting Kontor reads, with its environment variable and default. */
export const SETTINGS = [
  { key: 'host', env: 'HOST', default: '127.0.0.1', help: 'address the server listens on' },
  { key: 'port', env: 'PORT', default: '3000', help: 'port the server listens on' },
  {
    key: 'dataDir',
    env: 'KONTOR_DATA_DIR',
    default: './data',
    help: 'folder for the SQLite database and files',
  },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    default: '',
    help: 'postgres://... to use PostgreSQL; unset: SQLite in the data folder',
  },
  {
    key: 'adminEmail',
    env: 'KONTOR_ADMIN_EMAIL',
    default: '',
    help: 'e-mail of the administrator created on first start',
  },
  {
    key: 'adminPassword',
    env: 'KONTOR_ADMIN_PASSWORD',
    default: '',
    help: 'password of that administrator; unset: a one-time password is printed',
  },
  {
    key: 'logLevel',
    env: 'KONTOR_LOG_LEVEL',
    default: 'info',
    help: 'pino log level (fatal, error, warn, info, debug, silent)',
  },
  {
    key: 'phoneRegion',
    env: 'KONTOR_PHONE_REGION',
    default: '',
    help: 'ISO country used to read phone numbers typed without a country code',
  },
  {
    key: 'currency',
    env: 'KONTOR_CURRENCY',
    default: 'EUR',
    help: 'default ISO 4217 currency for new amounts',
  },
  {
    key: 'bodyLimit',
    env: 'KONTOR_BODY_LIMIT',
    default: '10485760',
    help: 'largest accepted request body in bytes',
  },
  {
    key: 'publicUrl',
    env: 'KONTOR_PUBLIC_URL',
    default: '',
    help: 'address people outside reach Kontor at, for links in e-mails (https://crm.example.com); unset: http://HOST:PORT',
  },
  {
    key: 'smtpUrl',
    env: 'KONTOR_SMTP_URL',
    default: '',
    help: 'smtp://user:pass@host:587 or smtps://... to send e-mail; unset: e-mails are kept in the mail log, not sent',
  },
  {
    key: 'mailFrom',
    env: 'KONTOR_MAIL_FROM',
    default: 'Kontor <kontor@localhost>',
    help: 'sender of the e-mails Kontor sends',
  },
  {
    key: 'allowPrivateTargets',
    env: 'KONTOR_ALLOW_PRIVATE_TARGETS',
    default: 'false',
    help: 'let webhooks and process steps call private and loopback addresses (only on a trusted network)',
  },
  {
    key: 'jobLeaseSeconds',
    env: 'KONTOR_JOB_LEASE_SECONDS',
    default: '60',
    help: 'how long a worker that stopped answering keeps its jobs before another takes them over',
  },
  {
    key: 'worker',
    env: 'KONTOR_WORKER',
    default: 'true',
    help: 'run the background job worker inside the server process',
  },
] as const;

export type SettingKey = (typeof SETTINGS)[number]['key'];

const configSchema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  dataDir: z.string().min(1),
  databaseUrl: z.string(),
  adminEmail: z.string(),
  adminPassword: z.string(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  phoneRegion: z.string().regex(/^([A-Z]{2})?$/, 'a two-letter ISO country code'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code'),
  bodyLimit: z.coerce.number().int().min(1024),
  worker: z.enum(['true', 'false']).transform((v) => v === 'true'),
  publicUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
  smtpUrl: z.union([z.literal(''), z.url({ protocol: /^smtps?$/ })]),
  mailFrom: z.string().min(3),
  allowPrivateTargets: z.enum(['true', 'false']).transform((v) => v === 'true'),
  jobLeaseSeconds: z.coerce.number().int().min(3).max(86_400),
});

export type Config = z.infer<typeof configSchema>;

/**
 * Reads settings from, in rising priority: defaults, the config file
 * (`KONTOR_CONFIG` or ./kontor.config.json), the environment, explicit overrides.
 */
export function loadConfig(
  overrides: Partial<Record<SettingKey, string>> = {},
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const raw: Record<string, string> = {};
  for (const s of SETTINGS) raw[s.key] = s.default;

  const file = env.KONTOR_CONFIG ?? 'kontor.config.json';
  if (env.KONTOR_CONFIG || existsSync(file)) {
    const parsed = readConfigFile(file);
    for (const [k, v] of Object.entries(parsed)) raw[k] = String(v);
  }
  for (const s of SETTINGS) {
    const v = env[s.env];
    if (v !== undefined && v !== '') raw[s.key] = v;
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) raw[k] = v;

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const s = SETTINGS.find((x) => x.key === i.path[0]);
      return `${s ? s.env : String(i.path[0])}: ${i.message}`;
    });
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return { ...result.data, dataDir: resolve(result.data.dataDir) };
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read config file ${file}: ${(err as Error).message}`);
  }
  try {
    const data = JSON.parse(text) as unknown;
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('not an object');
    const known = new Set<string>(SETTINGS.map((s) => s.key));
    for (const k of Object.keys(data)) {
      if (!known.has(k)) throw new Error(`unknown setting "${k}"`);
    }
    return data as Record<string, unknown>;
  } catch (err) {
    throw new Error(`Config file ${file} is not valid: ${(err as Error).message}`);
  }
}
