import { describe, expect, it } from 'vitest';
import { formFromRisk, parseProblems, readLimit, riskFromForm, writeLimit } from './ConfigForm';

describe('config form', () => {
  it('reads and writes the three limit forms', () => {
    expect(readLimit(false)).toEqual({ enabled: false, value: '' });
    expect(readLimit(10000)).toEqual({ enabled: true, value: '10000' });
    expect(readLimit({ enabled: false, value: 5 })).toEqual({ enabled: false, value: '5' });
    expect(writeLimit({ enabled: true, value: '10000.5' }, 'money')).toBe('10000.5');
    expect(writeLimit({ enabled: true, value: '10' }, 'count')).toBe(10);
    expect(writeLimit({ enabled: false, value: '' }, 'money')).toBe(false);
    expect(writeLimit({ enabled: false, value: '5' }, 'money')).toEqual({ enabled: false, value: '5' });
  });
  it('round-trips a configuration through the form, keeping what the form has no field for', () => {
    const risk = {
      reduce_quantity_to_fit: false,
      check_margin: true,
      warning_utilisation: 0.8,
      margin_call_ratio: 0.8,
      limits: { max_order_notional: 10000, max_open_orders: false },
      account: { max_leverage: 3 },
      portfolio_var: { enabled: true, max_var: 5000, confidence: 0.99, horizon_days: 1 },
      behaviour: { loss_streak: 4 },
      symbols: [{ instrument: 'BTCUSDT.PAPER', max_order_quantity: 0.5 }],
    };
    const f = formFromRisk(risk);
    expect(f.limits['limits.max_order_notional']).toEqual({ enabled: true, value: '10000' });
    expect(JSON.parse(f.rest)).toEqual({ behaviour: { loss_streak: 4 }, symbols: [{ instrument: 'BTCUSDT.PAPER', max_order_quantity: 0.5 }] });
    const out = riskFromForm(f);
    expect('body' in out).toBe(true);
    if (!('body' in out)) return;
    expect((out.body.limits as Record<string, unknown>).max_order_notional).toBe('10000');
    expect((out.body.limits as Record<string, unknown>).max_open_orders).toBe(false);
    expect((out.body.account as Record<string, unknown>).max_leverage).toBe('3');
    expect(out.body.portfolio_var).toEqual({ enabled: true, max_var: '5000', confidence: 0.99, horizon_days: 1 });
    expect(out.body.symbols).toEqual(risk.symbols);
  });
  it('reports a syntax error in the JSON view', () => {
    const f = { ...formFromRisk({}), rest: '{ nope' };
    expect('jsonError' in riskFromForm(f)).toBe(true);
  });
  it('maps every problem of a 422 onto its field', () => {
    const p = parseProblems(
      '4 problems:\n  body: /limits/max_order_notinal: unknown key; did you mean max_order_notional?\n  body: /warning_utilisation: must be in (0, 1], got 2\n  body: /limits/max_order_notional/value: must be > 0 when the limit is enabled, got 0\n  body: /behaviour/loss_streak/value: must be >= 1',
    );
    expect(p).toHaveLength(4);
    expect(p[0]).toEqual({ path: 'limits.max_order_notinal', field: null, message: 'unknown key; did you mean max_order_notional?' });
    expect(p[1].field).toBe('warning_utilisation');
    expect(p[2]).toMatchObject({ field: 'limits.max_order_notional', message: 'must be > 0 when the limit is enabled, got 0' });
    expect(p[3].field).toBeNull();
    expect(parseProblems('body: /portfolio_var/max_var: must be > 0')[0].field).toBe('var_max');
  });
});
