import { boot } from '../boot';
import type { Config } from '../config';
import { verifyStock } from '../modules/inventory/ledger';
import { quietLog } from './admin';

/** `kontor stock verify`: every balance recomputed from the ledger; exits 1 on a difference. */
export async function stockVerifyCommand(config: Config) {
  const { kontor } = await boot({ config, log: quietLog(config) });
  try {
    const started = performance.now();
    const { checked, differences } = await verifyStock(kontor.database.db);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (!differences.length) {
      process.stdout.write(
        `Stock verified: ${checked} balance(s) agree with the ledger (${seconds} s).\n`,
      );
      return;
    }
    process.stdout.write(`${differences.length} balance(s) differ from the ledger:\n`);
    for (const d of differences)
      process.stdout.write(
        `  product ${d.product_id} in warehouse ${d.warehouse_id}: ledger ${d.ledger}, balance ${d.balance}\n`,
      );
    process.exitCode = 1;
  } finally {
    await kontor.database.close();
  }
}
