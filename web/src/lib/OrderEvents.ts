// The open-orders list kept from the `orders` channel: a snapshot (array of open orders) replaces it, each
// "order" event upserts the order by id and drops it once it reaches a terminal status, "fill" events carry
// no order state of their own (the OrderFilled / OrderPartiallyFilled order event that precedes them does)
// and {"type":"algo"} messages belong to the algorithmic-execution page: both leave the list unchanged.
import type { Order } from './TradingTypes';

export const terminalStatuses = new Set(['FILLED', 'CANCELED', 'REJECTED', 'DENIED', 'EXPIRED']);

export function isOpen(o: Pick<Order, 'status'>): boolean {
  return !terminalStatuses.has(o.status);
}

export interface OrderMessage {
  type: string;
  data?: unknown;
  event?: string;
}

// An ISO-8601 UTC time as a key that sorts as the time does ("…:03Z" and "…:03.5Z" differ in length).
export function timeKey(iso: string): string {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(iso);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}` : iso;
}

// Newest first (by creation time, then id), like GET /api/orders.
function byNewest(a: Order, b: Order): number {
  const ka = timeKey(a.created);
  const kb = timeKey(b.created);
  if (ka !== kb) return ka < kb ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function reduceOpenOrders(current: Order[], m: OrderMessage): Order[] {
  if (m.type === 'snapshot') {
    const list = Array.isArray(m.data) ? (m.data as Order[]) : [];
    return list.filter(isOpen).sort(byNewest);
  }
  if (m.type !== 'order') return current;
  const o = m.data as Order | undefined;
  if (!o || typeof o.id !== 'string') return current;
  const i = current.findIndex((x) => x.id === o.id);
  if (!isOpen(o)) return i < 0 ? current : current.filter((x) => x.id !== o.id);
  // An event older than what we hold (events can race the snapshot) does not roll the order back.
  if (i >= 0 && timeKey(current[i].updated) > timeKey(o.updated)) return current;
  const next = i < 0 ? [...current, o] : current.map((x) => (x.id === o.id ? o : x));
  return next.sort(byNewest);
}
