import type { ApiRecord, FieldMeta, ObjectMeta } from '../../api/client';
import { toThousandths } from './quantity';

/** What a button of a document does when pressed. */
export type ActionName =
  | 'send'
  | 'accept'
  | 'reject'
  | 'convert'
  | 'confirm'
  | 'reserve'
  | 'ship'
  | 'receive'
  | 'complete'
  | 'cancel';

export interface ActionDef {
  name: ActionName;
  /** The statuses in which the server allows it. */
  when: string[];
  /** The main next step gets a filled button; others are light. */
  primary?: boolean;
  /** Shown only when this holds too (a quote converts once). */
  only?: (record: ApiRecord, lines: ApiRecord[]) => boolean;
}

/**
 * How one kind of document is put together: the object of its lines and the lines' relation to
 * it, when it may be edited, its actions, and which stock figures its lines show.
 */
export interface DocumentConfig {
  lines: string;
  parent: string;
  /** Statuses in which the lines may change (and every header field). */
  editable: string[];
  /** Header fields the server fixes once the document leaves draft; the others stay editable. */
  fixedAfterDraft: string[];
  actions: ActionDef[];
  /** Whether the server renders the document as a PDF (`GET /api/v1/{object}/{id}/pdf`). */
  pdf: boolean;
  /** Lines are priced from the catalog's price lists as they are typed (sales); else the server
   *  prices a line left without one (a purchase line takes the supplier's price). */
  catalogPrices: boolean;
  /** Statuses in which each line shows on hand, available and the shortage. */
  availability: string[];
  /** Statuses in which each line shows reserved, backorder and shipped quantities. */
  fulfilment: string[];
  /** Statuses in which each line shows the quantity received. */
  receiving: string[];
}

export const DOCUMENTS: Record<string, DocumentConfig> = {
  quotes: {
    lines: 'quote_lines',
    parent: 'quote_id',
    editable: ['draft'],
    fixedAfterDraft: ['company_id', 'currency', 'price_list_id', 'warehouse_id', 'freight'],
    actions: [
      { name: 'send', when: ['draft'], primary: true },
      { name: 'accept', when: ['sent'], primary: true },
      { name: 'reject', when: ['sent'] },
      {
        name: 'convert',
        when: ['draft', 'sent', 'accepted'],
        primary: true,
        only: (r) => !r.sales_order_id,
      },
    ],
    pdf: true,
    catalogPrices: true,
    availability: ['draft', 'sent', 'accepted'],
    fulfilment: [],
    receiving: [],
  },
  sales_orders: {
    lines: 'sales_order_lines',
    parent: 'order_id',
    editable: ['draft'],
    fixedAfterDraft: ['company_id', 'currency', 'price_list_id', 'warehouse_id', 'freight'],
    actions: [
      { name: 'confirm', when: ['draft'], primary: true },
      {
        name: 'reserve',
        when: ['confirmed', 'partly_shipped'],
        only: (_, lines) => lines.some((l) => (toThousandths(l.backorder_quantity) ?? 0n) > 0n),
      },
      { name: 'ship', when: ['confirmed', 'partly_shipped'], primary: true },
      { name: 'cancel', when: ['draft', 'confirmed', 'partly_shipped'] },
    ],
    pdf: true,
    catalogPrices: true,
    availability: ['draft'],
    fulfilment: ['confirmed', 'partly_shipped', 'shipped', 'cancelled'],
    receiving: [],
  },
  purchase_orders: {
    lines: 'purchase_order_lines',
    parent: 'order_id',
    editable: ['draft'],
    fixedAfterDraft: ['supplier_id', 'warehouse_id', 'currency', 'order_date'],
    actions: [
      { name: 'send', when: ['draft'], primary: true },
      { name: 'confirm', when: ['draft', 'sent'], primary: true },
      { name: 'receive', when: ['confirmed', 'partly_received'], primary: true },
      { name: 'cancel', when: ['draft', 'sent', 'confirmed', 'partly_received'] },
    ],
    pdf: true,
    catalogPrices: false,
    availability: [],
    fulfilment: [],
    receiving: ['confirmed', 'partly_received', 'received', 'cancelled'],
  },
};

/** The first of these fields the object has (servers name totals slightly differently). */
export function findField(
  object: ObjectMeta | undefined,
  ...names: string[]
): FieldMeta | undefined {
  for (const n of names) {
    const f = object?.fields.find((x) => x.name === n);
    if (f) return f;
  }
  return undefined;
}

/** Field names a document shows in its own places rather than among its header fields. */
export const TOTAL_FIELDS = {
  net: ['net', 'net_amount', 'net_total', 'subtotal'],
  tax: ['tax', 'tax_amount', 'tax_total'],
  total: ['total', 'total_amount', 'grand_total'],
};

/**
 * The colour of a status badge: dark enough that its white text reads at 5:1 or better (WCAG
 * AA), also behind a dialog's overlay.
 */
export function statusColor(status: unknown): string {
  switch (status) {
    case 'sent':
    case 'in_progress':
      return 'blue.8';
    case 'accepted':
    case 'confirmed':
      return 'teal.9';
    case 'partly_shipped':
    case 'partly_received':
      return '#b04a00';
    case 'shipped':
    case 'received':
    case 'done':
      return '#237032';
    case 'rejected':
    case 'cancelled':
      return 'red.9';
    default:
      return 'gray.7';
  }
}

/**
 * Colours of notes and figures that read at 4.5:1 or better on white and on their own light
 * tint (Mantine's orange and green shades do not): warnings, good news, trouble.
 */
export const WARN = '#a84300';
export const OK = '#237032';
export const DANGER = 'red.9';

/** Whether the signed-in user may change records of an object at all (metadata `access`). */
export function mayUpdate(object: ObjectMeta | undefined): boolean {
  const access = (object as (ObjectMeta & { access?: { update?: string } }) | undefined)?.access;
  return access?.update !== 'none';
}
