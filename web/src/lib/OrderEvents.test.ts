import { describe, expect, it } from 'vitest';
import { isOpen, reduceOpenOrders, timeKey } from './OrderEvents';
import type { Order } from './TradingTypes';

function order(id: string, status: string, created: string, updated = created, over: Partial<Order> = {}): Order {
  return {
    id,
    symbol: 'BTCUSDT',
    venue: 'PAPER',
    instrument_id: 'BTCUSDT.PAPER',
    side: 'BUY',
    type: 'LIMIT',
    status,
    quantity: '1',
    filled_quantity: '0',
    leaves_quantity: '1',
    price: '100',
    trigger_price: null,
    avg_fill_price: null,
    time_in_force: 'GTC',
    reduce_only: false,
    post_only: false,
    reason: '',
    strategy_id: 'API:trader',
    created,
    updated,
    venue_order_id: null,
    ...over,
  };
}

const t0 = '2026-11-21T22:44:02.109645160Z';
const t1 = '2026-11-21T22:44:03Z';
const t2 = '2026-11-21T22:44:03.500Z';

describe('timeKey', () => {
  it('orders ISO times of different fraction lengths as times', () => {
    expect(timeKey(t1) < timeKey(t2)).toBe(true);
    expect(timeKey(t0) < timeKey(t1)).toBe(true);
  });
});

describe('reduceOpenOrders', () => {
  it('takes the snapshot, newest first, open orders only', () => {
    const list = reduceOpenOrders([], { type: 'snapshot', data: [order('O1', 'ACCEPTED', t0), order('O2', 'ACCEPTED', t1), order('O3', 'FILLED', t2)] });
    expect(list.map((o) => o.id)).toEqual(['O2', 'O1']);
  });
  it('adds a submitted order and updates it in place', () => {
    let list = reduceOpenOrders([], { type: 'order', event: 'OrderSubmitted', data: order('O1', 'SUBMITTED', t0) });
    list = reduceOpenOrders(list, { type: 'order', event: 'OrderAccepted', data: order('O1', 'ACCEPTED', t0, t1) });
    expect(list).toHaveLength(1);
    expect(list[0].status).toBe('ACCEPTED');
    list = reduceOpenOrders(list, { type: 'order', event: 'OrderPartiallyFilled', data: order('O1', 'PARTIALLY_FILLED', t0, t2, { filled_quantity: '0.4' }) });
    expect(list[0].filled_quantity).toBe('0.4');
  });
  it('drops an order when it fills, is canceled, rejected, denied or expires', () => {
    for (const status of ['FILLED', 'CANCELED', 'REJECTED', 'DENIED', 'EXPIRED']) {
      const list = reduceOpenOrders([order('O1', 'ACCEPTED', t0), order('O2', 'ACCEPTED', t1)], { type: 'order', data: order('O1', status, t0, t2) });
      expect(list.map((o) => o.id)).toEqual(['O2']);
    }
  });
  it('ignores a terminal event for an order it does not hold', () => {
    const current = [order('O1', 'ACCEPTED', t0)];
    expect(reduceOpenOrders(current, { type: 'order', data: order('O9', 'FILLED', t0) })).toBe(current);
  });
  it('does not roll an order back to an older event', () => {
    const current = [order('O1', 'PARTIALLY_FILLED', t0, t2)];
    expect(reduceOpenOrders(current, { type: 'order', data: order('O1', 'ACCEPTED', t0, t1) })).toBe(current);
  });
  it('leaves the list unchanged on fills, algo messages and malformed events', () => {
    const current = [order('O1', 'ACCEPTED', t0)];
    expect(reduceOpenOrders(current, { type: 'fill', data: { order_id: 'O1', price: '100', quantity: '1' } })).toBe(current);
    expect(reduceOpenOrders(current, { type: 'algo', data: { id: 'A1', status: 'RUNNING' } })).toBe(current);
    expect(reduceOpenOrders(current, { type: 'order', data: null })).toBe(current);
  });
  it('knows which statuses are open', () => {
    expect(isOpen({ status: 'PENDING_CANCEL' })).toBe(true);
    expect(isOpen({ status: 'FILLED' })).toBe(false);
  });
});
