import { roundHalfEven } from '../../server/src/core/metadata/money';
import { Rng } from './data';

/**
 * A stock history simulated the way the ledger (server/src/modules/inventory/ledger.ts) values
 * it, so that rows written straight into the tables agree with what postStock would have
 * written: receipts at their unit cost, shipments and losses at the moving average of the
 * product (company-wide), transfers moving value between warehouses at the average, the move
 * that empties a product taking all value left, everything rounded half-even the same way.
 * Quantities are thousandths of the product's unit; values minor units of its currency.
 */

export interface SimMove {
  id: string;
  posting_id: string;
  kind: 'receipt' | 'shipment' | 'transfer' | 'adjustment';
  product: number;
  warehouse: number;
  quantity: bigint;
  unit_cost_minor: bigint;
  value_minor: bigint;
  currency: string;
  document: 'receipts' | 'shipments' | null;
  document_id: string | null;
  document_line_id: string | null;
  at: number;
}

export interface StockSimOptions {
  products: number;
  warehouses: number;
  moves: number;
  startMs: number;
  endMs: number;
  seed: number;
  /** The currency each product's stock is valued in. */
  currencyOf: (product: number) => string;
  /** A UUIDv7 for an instant (reproducible from the seed). */
  newId: (msecs: number) => string;
}

const abs = (v: bigint) => (v < 0n ? -v : v);
const PER_UNIT = 1000n;

export class StockSim {
  readonly onHand: Float64Array; // [product * W + warehouse], thousandths (exact below 2^53)
  readonly quantity: bigint[]; // per product, all warehouses
  readonly value: bigint[]; // per product
  readonly currency: (string | null)[];
  readonly touched: Uint8Array; // [product * W + warehouse]: a balance row exists
  private readonly home: Uint8Array;
  private readonly cost: Int32Array;
  private readonly byWeight: Uint8Array;
  private readonly rng: Rng;
  private row = 0;
  /** Postings of each kind, and how often a product was emptied. */
  counts = { receipt: 0, shipment: 0, transfer: 0, adjustment: 0, emptied: 0 };

  constructor(private readonly o: StockSimOptions) {
    const n = o.products * o.warehouses;
    this.onHand = new Float64Array(n);
    this.touched = new Uint8Array(n);
    this.quantity = new Array<bigint>(o.products).fill(0n);
    this.value = new Array<bigint>(o.products).fill(0n);
    this.currency = new Array<string | null>(o.products).fill(null);
    this.rng = new Rng(o.seed);
    this.home = new Uint8Array(o.products);
    this.cost = new Int32Array(o.products);
    this.byWeight = new Uint8Array(o.products);
    for (let p = 0; p < o.products; p++) {
      this.home[p] = this.rng.int(o.warehouses);
      // 0.50 to 500.00 a unit, most of them cheap.
      this.cost[p] = 50 + Math.floor(49_950 * this.rng.next() ** 3);
      this.byWeight[p] = this.rng.chance(0.15) ? 1 : 0;
    }
  }

  get written(): number {
    return this.row;
  }

  /** Popular products move much more often than the long tail. */
  private pickProduct(): number {
    return Math.min(this.o.products - 1, Math.floor(this.o.products * this.rng.next() ** 1.7));
  }

  private at(): number {
    const { startMs, endMs, moves } = this.o;
    return startMs + Math.floor(((endMs - startMs) * this.row) / moves);
  }

  /** A warehouse holding some of the product, the home warehouse first; -1 if none. */
  private stocked(p: number, preferHome: boolean): number {
    const W = this.o.warehouses;
    if (preferHome && this.onHand[p * W + this.home[p]] > 0) return this.home[p];
    const from = this.rng.int(W);
    for (let i = 0; i < W; i++) {
      const w = (from + i) % W;
      if (this.onHand[p * W + w] > 0) return w;
    }
    return -1;
  }

  private units(p: number, lo: number, hi: number): number {
    return this.byWeight[p]
      ? this.rng.between(lo * 1000, hi * 1000)
      : this.rng.between(lo, hi) * 1000;
  }

  private move(
    kind: SimMove['kind'],
    p: number,
    w: number,
    quantity: bigint,
    value: bigint,
    unitCost: bigint | null,
    postingId: string,
    at: number,
    document: SimMove['document'],
  ): SimMove {
    this.onHand[p * this.o.warehouses + w] += Number(quantity);
    this.touched[p * this.o.warehouses + w] = 1;
    this.row++;
    return {
      id: this.o.newId(at),
      posting_id: postingId,
      kind,
      product: p,
      warehouse: w,
      quantity,
      unit_cost_minor: unitCost ?? roundHalfEven(abs(value) * PER_UNIT, abs(quantity)),
      value_minor: value,
      currency: this.currency[p]!,
      document,
      document_id: document ? this.o.newId(at) : null,
      document_line_id: document ? this.o.newId(at) : null,
      at,
    };
  }

  /** Stock going out of the product at the average, as valueLegs does for one leg. */
  private outgoing(p: number, q: bigint): bigint {
    const before = this.quantity[p];
    const v = this.value[p];
    let value = before + q <= 0n ? -v : roundHalfEven(v * q, before);
    this.quantity[p] = before + q;
    this.value[p] = v + value;
    if (this.quantity[p] === 0n && this.value[p] !== 0n) {
      value -= this.value[p];
      this.value[p] = 0n;
    }
    if (this.quantity[p] === 0n) this.counts.emptied++;
    return value;
  }

  /** The next posting's moves (one, or two for a transfer). */
  next(): SimMove[] {
    const W = this.o.warehouses;
    const p = this.pickProduct();
    const at = this.at();
    const postingId = this.o.newId(at);
    const r = this.rng.next();
    const hasStock = this.quantity[p] > 0n;
    if (!hasStock || r < 0.22) {
      // A receipt at a cost near the product's usual one.
      this.counts.receipt++;
      const w = this.rng.chance(0.75) ? this.home[p] : this.rng.int(W);
      const q = BigInt(this.units(p, 5, 150));
      const unitCost = BigInt(Math.round(this.cost[p] * (0.85 + 0.3 * this.rng.next())));
      this.currency[p] ??= this.o.currencyOf(p);
      const value = roundHalfEven(q * unitCost, PER_UNIT);
      this.quantity[p] += q;
      this.value[p] += value;
      return [this.move('receipt', p, w, q, value, unitCost, postingId, at, 'receipts')];
    }
    if (r < 0.82) {
      // A shipment from a warehouse that has some, now and then all of it.
      this.counts.shipment++;
      const w = this.stocked(p, true);
      const have = this.onHand[p * W + w];
      const q = this.rng.chance(0.04) ? have : Math.min(have, this.units(p, 1, 30));
      const value = this.outgoing(p, BigInt(-q));
      return [this.move('shipment', p, w, BigInt(-q), value, null, postingId, at, 'shipments')];
    }
    if (r < 0.93) {
      // A transfer: value follows the stock at the average, the product's total stays.
      const from = this.stocked(p, false);
      const to = (from + 1 + this.rng.int(W - 1)) % W;
      if (W < 2 || to === from) return this.next();
      this.counts.transfer++;
      const have = this.onHand[p * W + from];
      const q = BigInt(Math.min(have, this.units(p, 1, 40)));
      const total = this.quantity[p];
      const v = this.value[p];
      const value = total - q <= 0n ? v : total > 0n ? roundHalfEven(v * q, total) : 0n;
      return [
        this.move('transfer', p, from, -q, -value, null, postingId, at, null),
        this.move('transfer', p, to, q, value, null, postingId, at, null),
      ];
    }
    // An adjustment: a count found a few more (valued at the average) or a few less.
    this.counts.adjustment++;
    if (this.rng.chance(0.5)) {
      const w = this.rng.chance(0.8) ? this.home[p] : this.rng.int(W);
      const q = BigInt(this.units(p, 1, 5));
      const before = this.quantity[p];
      const v = this.value[p];
      const value = before > 0n && v > 0n ? roundHalfEven(v * q, before) : 0n;
      this.quantity[p] = before + q;
      this.value[p] = v + value;
      return [this.move('adjustment', p, w, q, value, null, postingId, at, null)];
    }
    const w = this.stocked(p, true);
    const q = Math.min(this.onHand[p * W + w], this.units(p, 1, 3));
    const value = this.outgoing(p, BigInt(-q));
    return [this.move('adjustment', p, w, BigInt(-q), value, null, postingId, at, null)];
  }
}
