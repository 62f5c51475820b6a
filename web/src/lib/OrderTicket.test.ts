import { describe, expect, it } from 'vitest';
import { checkUnit, denialFromError, emptyTicket, isValid, orderBody, readDecision, ranChecks, sameOrder, validateTicket, type TicketState } from './OrderTicket';
import type { Evaluation } from './TradingTypes';

const ticket = (over: Partial<TicketState>): TicketState => ({ ...emptyTicket, ...over });

// The 422 body of docs/api.md "Submitting an order".
const deniedBody = {
  error: { code: 'RISK_DENIED', message: 'INSUFFICIENT_MARGIN: available=99310.52, required=120004.00', field: null },
  decision: {
    verdict: 'DENIED',
    reason: 'INSUFFICIENT_MARGIN',
    check: 'MARGIN',
    limit: '99310.52',
    value: '120004.00',
    limit_label: 'available',
    value_label: 'required',
    quantity: '0',
    message: 'INSUFFICIENT_MARGIN: available=99310.52, required=120004.00',
  },
};

describe('validateTicket', () => {
  it('accepts a market order with a positive quantity', () => {
    expect(validateTicket(ticket({ quantity: '0.01' }))).toEqual({});
    expect(isValid(ticket({ quantity: '.5' }))).toBe(true);
  });
  it('requires a positive decimal quantity', () => {
    expect(validateTicket(ticket({ quantity: '' })).quantity).toBe('required');
    expect(validateTicket(ticket({ quantity: '0' })).quantity).toMatch(/positive/);
    expect(validateTicket(ticket({ quantity: '-1' })).quantity).toMatch(/positive/);
    expect(validateTicket(ticket({ quantity: '1e3' })).quantity).toMatch(/positive/);
    expect(validateTicket(ticket({ quantity: 'abc' })).quantity).toMatch(/positive/);
  });
  it('asks for the prices each type needs (server: model/order.cpp check_prices)', () => {
    expect(validateTicket(ticket({ type: 'LIMIT', quantity: '1' })).price).toBe('required for LIMIT');
    expect(validateTicket(ticket({ type: 'STOP_MARKET', quantity: '1' }))).toEqual({ trigger_price: 'required for STOP_MARKET' });
    expect(validateTicket(ticket({ type: 'STOP_LIMIT', quantity: '1' }))).toEqual({
      price: 'required for STOP_LIMIT',
      trigger_price: 'required for STOP_LIMIT',
    });
    // TAKE_PROFIT: trigger required, price optional
    expect(validateTicket(ticket({ type: 'TAKE_PROFIT', quantity: '1', triggerPrice: '70000' }))).toEqual({});
    expect(validateTicket(ticket({ type: 'TAKE_PROFIT', quantity: '1', triggerPrice: '70000', price: 'x' })).price).toMatch(/positive/);
  });
  it('ignores a price typed before switching to MARKET', () => {
    expect(validateTicket(ticket({ quantity: '1', price: 'junk', triggerPrice: 'junk' }))).toEqual({});
  });
  it('allows post-only only on GTC limit orders', () => {
    expect(validateTicket(ticket({ type: 'LIMIT', quantity: '1', price: '1', postOnly: true }))).toEqual({});
    expect(validateTicket(ticket({ type: 'LIMIT', quantity: '1', price: '1', postOnly: true, timeInForce: 'IOC' })).post_only).toBeDefined();
    expect(validateTicket(ticket({ quantity: '1', postOnly: true })).post_only).toBeDefined();
  });
});

describe('orderBody', () => {
  it('builds the documented body, decimals as strings', () => {
    expect(orderBody(ticket({ type: 'LIMIT', quantity: ' 0.010 ', price: '59000', timeInForce: 'GTC' }))).toEqual({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.010',
      price: '59000',
      time_in_force: 'GTC',
      reduce_only: false,
      post_only: false,
    });
  });
  it('leaves out the fields the type does not take', () => {
    const b = orderBody(ticket({ side: 'SELL', quantity: '2', price: '10', triggerPrice: '11', reduceOnly: true }));
    expect(b).not.toHaveProperty('price');
    expect(b).not.toHaveProperty('trigger_price');
    expect(b.reduce_only).toBe(true);
    expect(orderBody(ticket({ type: 'STOP_LIMIT', quantity: '1', price: '10', triggerPrice: '11' }))).toMatchObject({ price: '10', trigger_price: '11' });
    expect(orderBody(ticket({ type: 'TAKE_PROFIT', quantity: '1', triggerPrice: '11' }))).not.toHaveProperty('price');
  });
  it('drops post-only where it does not apply', () => {
    expect(orderBody(ticket({ quantity: '1', postOnly: true })).post_only).toBe(false);
  });
  it('treats tickets with the same body as the same order', () => {
    expect(sameOrder(ticket({ quantity: '1', price: '5' }), ticket({ quantity: '1' }))).toBe(true);
    expect(sameOrder(ticket({ quantity: '1' }), ticket({ quantity: '2' }))).toBe(false);
  });
});

describe('decisions', () => {
  it('reads a denial with its typed reason, labels, limit and value', () => {
    expect(denialFromError('RISK_DENIED', deniedBody)).toEqual({
      approved: false,
      reason: 'INSUFFICIENT_MARGIN',
      check: 'MARGIN',
      message: 'INSUFFICIENT_MARGIN: available=99310.52, required=120004.00',
      limitLabel: 'available',
      limit: '99310.52',
      valueLabel: 'required',
      value: '120004.00',
      quantity: '0',
    });
  });
  it('is not a denial for other errors', () => {
    expect(denialFromError('UNPROCESSABLE', { error: { code: 'UNPROCESSABLE' } })).toBeNull();
    expect(denialFromError('RISK_DENIED', null)).toBeNull();
  });
  it('reads an approval without limit or value', () => {
    const v = readDecision({ verdict: 'APPROVED', reason: 'NONE', check: 'TRADING_STATE', message: 'APPROVED', quantity: '0.01' });
    expect(v.approved).toBe(true);
    expect(v.limit).toBeNull();
    expect(v.limitLabel).toBe('limit');
  });
  it('separates the checks that ran from the disabled ones', () => {
    const e: Evaluation = {
      decision: deniedBody.decision,
      checks: [
        { check: 'TRADING_STATE', status: 'PASSED', reason: 'NONE', limit: '0', value: '0' },
        { check: 'MAX_LEVERAGE', status: 'DISABLED', reason: 'NONE', limit: '0', value: '0' },
        { check: 'MARGIN', status: 'DENIED', reason: 'INSUFFICIENT_MARGIN', limit: '100000', value: '2997455' },
      ],
    };
    const r = ranChecks(e);
    expect(r.shown.map((c) => c.check)).toEqual(['TRADING_STATE', 'MARGIN']);
    expect(r.disabled).toBe(1);
  });
});

describe('checkUnit', () => {
  it('names the unit of each check from the engine documentation', () => {
    expect(checkUnit('MARGIN', 'BTCUSDT')).toBe('USDT');
    expect(checkUnit('MARGIN', 'BTCUSDT', 'LEVERAGE_EXCEEDS_TIER_MAX')).toBe('×');
    expect(checkUnit('MAX_ORDER_QUANTITY', 'BTCUSDT')).toBe('BTC');
    expect(checkUnit('PRICE_COLLAR', 'BTCUSDT')).toBe('bp');
    expect(checkUnit('OPEN_ORDERS_TOTAL', 'BTCUSDT')).toBe('');
    expect(checkUnit('SOMETHING_NEW', 'BTCUSDT')).toBe('');
  });
});
