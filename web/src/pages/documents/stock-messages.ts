import type { TFunction } from 'i18next';
import { formatQuantity } from './quantity';

/**
 * A shortage message of the stock ledger ("only 17 available (17 on hand, 0 reserved); 20
 * needed") in the user's language; any other message as the server wrote it.
 */
export function translateStockMessage(
  t: TFunction<'documents'>,
  message: string,
  locale: string,
): string {
  const q = (s: string) => formatQuantity(s, locale);
  // "Chai: only 2 available …" keeps the name it starts with.
  const named = /^([^:]+): (only .*)$/.exec(message);
  if (named) return `${named[1]}: ${translateStockMessage(t, named[2], locale)}`;
  let m =
    /^only (-?[\d.]+) available \((-?[\d.]+) on hand, (-?[\d.]+) reserved(?: for other documents)?\); (-?[\d.]+) needed$/.exec(
      message,
    );
  if (m)
    return t('shortAvailable', {
      available: q(m[1]),
      onHand: q(m[2]),
      reserved: q(m[3]),
      needed: q(m[4]),
    });
  m = /^only (-?[\d.]+) on hand; (-?[\d.]+) needed$/.exec(message);
  if (m) return t('shortOnHand', { onHand: q(m[1]), needed: q(m[2]) });
  return message;
}

/** The line a server error's path points at: `lines.2.quantity`, `lines[2]` or a line id. */
export function lineOfPath<L extends { id: string }>(path: string, lines: L[]): L | undefined {
  const byId = lines.find((l) => path.includes(l.id));
  if (byId) return byId;
  const m = /lines?(?:\.|\[)(\d+)/.exec(path);
  return m ? lines[Number(m[1])] : undefined;
}
