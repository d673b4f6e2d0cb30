import { boot } from '../boot';
import type { Config } from '../config';
import { verifyStock } from '../modules/inventory/verify';
import { quietLog } from './admin';

/** `kontor stock verify`: every balance recomputed from the ledger; exits 1 on a difference. */
export async function stockVerifyCommand(config: Config) {
  const { kontor } = await boot({ config, log: quietLog(config) });
  try {
    const started = performance.now();
    const { checked, differences } = await verifyStock(kontor.database.db, kontor.meta);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (!differences.length) {
      process.stdout.write(
        `Stock verified: ${checked} balance(s), their reservations and every product's value agree with the ledger (${seconds} s).\n`,
      );
      return;
    }
    process.stdout.write(`${differences.length} figure(s) differ from the ledger:\n`);
    for (const d of differences) {
      const where = d.warehouse_id ? ` in warehouse ${d.warehouse_id}` : '';
      process.stdout.write(
        `  ${d.what} of product ${d.product_id}${where}: ledger ${d.ledger}, kept ${d.balance}\n`,
      );
    }
    process.exitCode = 1;
  } finally {
    await kontor.database.close();
  }
}
