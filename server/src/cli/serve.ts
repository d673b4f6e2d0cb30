import { boot } from '../boot';
import type { Config } from '../config';
import { buildApp } from '../http/app';
import { printFirstAdmin } from './admin';
import { importNorthwindIfEmpty } from './data';
import { JobWorker } from '../core/jobs/worker';
import { scheduleHousekeeping } from '../core/jobs/housekeeping';
import type { Kontor } from '../core/kontor';
import { allJobHandlers } from '../core/jobs/handlers';
import { eventConsumers } from '../core/events/outbox';

/** The background worker that runs durable jobs in this process. */
export async function startWorker(kontor: Kontor) {
  await scheduleHousekeeping(kontor);
  const worker = new JobWorker(kontor, allJobHandlers(kontor), { events: eventConsumers(kontor) });
  worker.start();
  return worker;
}

export async function workerCommand(config: Config) {
  const { kontor } = await boot({ config });
  const worker = await startWorker(kontor);
  kontor.log.info({ worker: worker.id }, 'worker running');
  const stop = async () => {
    await worker.stop();
    await kontor.database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

export async function serveCommand(config: Config, opts: { demo?: boolean }) {
  const { kontor, firstAdmin } = await boot({ config });
  if (opts.demo) await importNorthwindIfEmpty(kontor);
  const app = await buildApp(kontor, { bodyLimit: config.bodyLimit, logRequests: true });
  const worker = config.worker ? await startWorker(kontor) : null;
  const stop = async (signal: string) => {
    kontor.log.info({ signal }, 'stopping');
    await app.close();
    await worker?.stop();
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
