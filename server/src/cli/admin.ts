import pino from 'pino';
import { boot } from '../boot';
import type { Config } from '../config';
import { oneTimePassword } from '../core/auth/passwords';
import { createApiKey } from '../core/auth/tokens';
import { createUser, findUserByEmail } from '../core/auth/users';
import { AppError } from '../core/errors';
import { boolToDb } from '../db/column-types';

export function quietLog(config: Config) {
  return pino(
    { level: config.logLevel === 'info' ? 'warn' : config.logLevel },
    pino.destination(2),
  );
}

function explain(err: unknown): never {
  if (err instanceof AppError) {
    const details = err.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n');
    throw new Error(`${err.message}${details ? `\n${details}` : ''}`);
  }
  throw err;
}

export async function migrateCommand(config: Config) {
  const { kontor, migrated, firstAdmin } = await boot({ config, log: quietLog(config) });
  process.stdout.write(
    migrated.length ? `Applied: ${migrated.join(', ')}\n` : 'The database is up to date.\n',
  );
  if (firstAdmin) printFirstAdmin(firstAdmin);
  await kontor.database.close();
}

export function printFirstAdmin(a: { email: string; password: string | null }) {
  if (a.password) {
    process.stdout.write(
      `\nCreated the administrator ${a.email} with the one-time password:\n\n    ${a.password}\n\nSign in and change it; it is not shown again.\n\n`,
    );
  } else {
    process.stdout.write(
      `\nCreated the administrator ${a.email} with the password from KONTOR_ADMIN_PASSWORD.\n\n`,
    );
  }
}

export async function userCreateCommand(
  config: Config,
  opts: { email: string; name: string; password?: string; role: string; team?: string },
) {
  const { kontor } = await boot({ config, log: quietLog(config) });
  try {
    const password = opts.password ?? oneTimePassword();
    const user = await createUser(kontor.database.db, kontor.database.dialect, kontor.clock, {
      email: opts.email,
      name: opts.name,
      password,
      role: opts.role,
      team: opts.team,
      must_change_password: !opts.password,
    }).catch(explain);
    process.stdout.write(`Created user ${user.email} (${opts.role}).\n`);
    if (!opts.password) process.stdout.write(`One-time password: ${password}\n`);
  } finally {
    await kontor.database.close();
  }
}

export async function apiKeyCreateCommand(config: Config, opts: { name: string; user?: string }) {
  const { kontor } = await boot({ config, log: quietLog(config) });
  try {
    const db = kontor.database.db;
    let userId: string;
    if (opts.user) {
      const u = await findUserByEmail(db, opts.user);
      if (!u) throw new Error(`No user with e-mail ${opts.user}`);
      userId = u.id;
    } else {
      const admin = await db
        .selectFrom('users')
        .innerJoin('roles', 'roles.id', 'users.role_id')
        .select('users.id')
        .where('roles.is_admin', '=', boolToDb(kontor.database.dialect, true))
        .where('users.is_active', '=', boolToDb(kontor.database.dialect, true))
        .orderBy('users.created_at')
        .executeTakeFirst();
      if (!admin) throw new Error('No administrator exists; create one with `kontor user create`');
      userId = admin.id as string;
    }
    const { key } = await createApiKey(db, kontor.clock, opts.name, userId);
    process.stdout.write(`Created API key "${opts.name}". It is shown only now:\n${key}\n`);
  } finally {
    await kontor.database.close();
  }
}
