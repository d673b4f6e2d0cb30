import { boot } from '../boot';
import type { Config } from '../config';
import { buildApp } from '../http/app';
import { printFirstAdmin } from './admin';
import { importNorthwindIfEmpty } from './data';

export async function serveCommand(config: Config, opts: { demo?: boolean }) {
  const { kontor, firstAdmin } = await boot({ config });
  if (opts.demo) await importNorthwindIfEmpty(kontor);
  const app = await buildApp(kontor, { bodyLimit: config.bodyLimit, logRequests: true });
  const stop = async (signal: string) => {
    kontor.log.info({ signal }, 'stopping');
    await app.close();
    await kontor.database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  const address = await app.listen({ host: config.host, port: config.port });
  if (firstAdmin) printFirstAdmin(firstAdmin);
  kontor.log.info({ address, database: kontor.database.dialect }, 'Kontor is ready');
  process.stdout.write(`Kontor is running at ${address} (${kontor.database.dialect})\n`);
}
