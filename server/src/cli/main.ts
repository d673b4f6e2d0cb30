import { Command, Option } from 'commander';
import { loadConfig, SETTINGS, type SettingKey } from '../config';
import { serveCommand, workerCommand } from './serve';
import { migrateCommand, userCreateCommand, apiKeyCreateCommand } from './admin';
import { demoCommand, importCommand } from './data';
import { stockVerifyCommand } from './stock';

const program = new Command();
program.name('kontor').description('Kontor: open-source CRM and ERP').showHelpAfterError();

/** Options every command takes to override the environment. */
function withSettings(cmd: Command): Command {
  cmd.option('--config <file>', 'JSON config file (default ./kontor.config.json if present)');
  cmd.option('--database-url <url>', 'DATABASE_URL');
  cmd.option('--data-dir <dir>', 'KONTOR_DATA_DIR');
  return cmd;
}

export function configFrom(opts: Record<string, unknown>) {
  if (opts.config) process.env.KONTOR_CONFIG = String(opts.config);
  const overrides: Partial<Record<SettingKey, string>> = {};
  if (opts.databaseUrl) overrides.databaseUrl = String(opts.databaseUrl);
  if (opts.dataDir) overrides.dataDir = String(opts.dataDir);
  if (opts.host) overrides.host = String(opts.host);
  if (opts.port) overrides.port = String(opts.port);
  return loadConfig(overrides);
}

const settingsHelp = [
  '',
  'Settings (environment variable, default: meaning):',
  ...SETTINGS.map((s) => `  ${s.env.padEnd(22)} ${(s.default || '(unset)').padEnd(12)} ${s.help}`),
  '',
  'A JSON config file (KONTOR_CONFIG or ./kontor.config.json) may set the same settings by their',
  'keys: host, port, dataDir, databaseUrl, adminEmail, adminPassword, logLevel, phoneRegion, currency.',
].join('\n');

withSettings(program.command('serve'))
  .description('start the server (migrates the database first)')
  .option('--host <host>', 'HOST')
  .option('--port <port>', 'PORT')
  .addOption(
    new Option('--demo', 'import the Northwind demo company if the database has no companies yet'),
  )
  .addHelpText('after', settingsHelp)
  .action((opts) => serveCommand(configFrom(opts), opts));

withSettings(program.command('worker'))
  .description('run a background job worker without the HTTP server')
  .action((opts) => workerCommand(configFrom(opts)));

withSettings(program.command('migrate'))
  .description('apply pending database migrations and sync standard objects')
  .action((opts) => migrateCommand(configFrom(opts)));

const user = program.command('user').description('manage users');
withSettings(user.command('create'))
  .description('create a user')
  .requiredOption('--email <email>', 'e-mail address (the login)')
  .requiredOption('--name <name>', 'full name')
  .option('--password <password>', 'password; omitted: a one-time password is printed')
  .option(
    '--role <role>',
    'role name: Administrator, Sales manager, Sales representative or one you made',
    'Sales representative',
  )
  .option('--team <team>', 'team name (created if new)')
  .action((opts) => userCreateCommand(configFrom(opts), opts));

const apiKey = program.command('api-key').description('manage API keys');
withSettings(apiKey.command('create'))
  .description('create an API key; the key is printed once, alone on the last line')
  .requiredOption('--name <name>', 'what the key is for')
  .option('--user <email>', 'the user the key acts as (default: the first administrator)')
  .action((opts) => apiKeyCreateCommand(configFrom(opts), opts));

withSettings(program.command('import'))
  .description('import a CSV or XLSX file into an object')
  .argument('<object>', 'object API name, like companies')
  .argument('<file>', 'a .csv or .xlsx file')
  .option(
    '--map <pairs>',
    'column mapping overrides: "Header=field,Other Header=field2"; field "-" skips a column',
  )
  .option('--dry-run', 'check every row and report errors without writing anything')
  .option('--upsert <field>', 'update records whose <field> matches instead of creating new ones')
  .option(
    '--encoding <name>',
    'file encoding (default: UTF-8, with or without BOM; falls back to windows-1252)',
  )
  .option('--delimiter <char>', 'CSV delimiter (default: detected from , ; and tab)')
  .option('--sheet <name>', 'XLSX sheet name (default: the first)')
  .option('--allow-duplicates', 'create contacts even when their e-mail or phone exists')
  .action((object, file, opts) => importCommand(configFrom(opts), object, file, opts));

const stock = program.command('stock').description('the stock ledger');
withSettings(stock.command('verify'))
  .description('recompute every stock balance from the ledger and report any difference')
  .action((opts) => stockVerifyCommand(configFrom(opts)));

withSettings(program.command('demo'))
  .description('import the Northwind demo company (or the same CSV files from DIR)')
  .argument('[dir]', 'folder with the Northwind CSV files')
  .action((dir, opts) => demoCommand(configFrom(opts), dir));

program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`kontor: ${err.message}\n`);
  process.exit(1);
});
