import { describe, expect, it } from 'vitest';
import { appendBars, equitySeries, exposureBySymbol, nearestLiquidation, priceChange, sparklinePoints, varShares } from './TradingFigures';
import type { Bar, HistoryPoint, Position, RiskAnalysis } from './TradingTypes';

function position(symbol: string, over: Partial<Position>): Position {
  return {
    symbol,
    venue: 'PAPER',
    instrument_id: `${symbol}.PAPER`,
    side: 'LONG',
    quantity: '1',
    avg_entry_price: '100',
    mark_price: '100',
    notional: '100',
    unrealized_pnl: '0',
    realized_pnl: '0',
    initial_margin: '100',
    leverage: '1',
    liquidation: 'NEVER',
    liquidation_price: null,
    margin_mode: 'CROSS',
    open_orders: 0,
    ts: '2026-11-21T22:44:36Z',
    ...over,
  };
}

const bar = (symbol: string, ts_ms: number, close: string): Bar => ({
  symbol,
  instrument_id: `${symbol}.PAPER`,
  open: close,
  high: close,
  low: close,
  close,
  volume: '1',
  ts: new Date(ts_ms).toISOString(),
  ts_ms,
});

describe('nearestLiquidation', () => {
  it('picks the smallest relative distance from mark to liquidation price', () => {
    const d = nearestLiquidation([
      position('BTCUSDT', { mark_price: '60000', liquidation_price: '45000', liquidation: 'AT_PRICE' }), // 25 %
      position('SOLUSDT', { mark_price: '150', liquidation_price: '180', liquidation: 'AT_PRICE' }), // 20 %
      position('ETHUSDT', { mark_price: '3000' }), // never
    ]);
    expect(d?.symbol).toBe('SOLUSDT');
    expect(d?.distance).toBeCloseTo(0.2, 12);
  });
  it('is null when nothing can be liquidated at a price', () => {
    expect(nearestLiquidation([position('BTCUSDT', {})])).toBeNull();
    expect(nearestLiquidation([])).toBeNull();
  });
});

describe('varShares', () => {
  // Component VaRs from a real /api/risk/analysis answer (long BTC, short SOL): they sum to the total.
  const analysis: RiskAnalysis = {
    currency: 'USDT',
    estimates: [
      { method: 'HISTORICAL', confidence: 0.95, var: 22.9, expected_shortfall: 29 },
      {
        method: 'PARAMETRIC_NORMAL',
        confidence: 0.99,
        var: 34.881022199900959,
        expected_shortfall: 40,
        components: [
          { symbol: 'BTCUSDT', exposure: 599.338, marginal_var: 0.0679, component_var: 40.68850221159211 },
          { symbol: 'SOLUSDT', exposure: -149.57, marginal_var: 0.0388, component_var: -5.807480011691151 },
        ],
      },
      {
        method: 'PARAMETRIC_NORMAL',
        confidence: 0.95,
        var: 24.662767128470606,
        expected_shortfall: 30.9,
        components: [
          { symbol: 'BTCUSDT', exposure: 599.338, marginal_var: 0.048, component_var: 28.768969243499026 },
          { symbol: 'SOLUSDT', exposure: -149.57, marginal_var: 0.0275, component_var: -4.10620211502842 },
        ],
      },
    ],
  };
  it('divides each component VaR by the total at the lowest confidence', () => {
    const s = varShares(analysis);
    expect(s.get('BTCUSDT')).toBeCloseTo(28.768969243499026 / 24.662767128470606, 12);
    expect(s.get('SOLUSDT')).toBeLessThan(0); // the short hedges
    expect((s.get('BTCUSDT') ?? 0) + (s.get('SOLUSDT') ?? 0)).toBeCloseTo(1, 9);
  });
  it('is empty without an analysis or with zero VaR', () => {
    expect(varShares(null).size).toBe(0);
    expect(varShares({ currency: 'USDT', estimates: [{ method: 'PARAMETRIC_NORMAL', confidence: 0.95, var: 0, expected_shortfall: 0, components: [] }] }).size).toBe(0);
  });
});

describe('exposureBySymbol', () => {
  it('sums signed notionals per symbol, largest first', () => {
    const e = exposureBySymbol([
      position('SOLUSDT', { notional: '-149.57' }),
      position('BTCUSDT', { notional: '599.338' }),
      position('SOLUSDT', { venue: 'OTHER', notional: '-50' }),
    ]);
    expect(e.map((x) => x.symbol)).toEqual(['BTCUSDT', 'SOLUSDT']);
    expect(e[1].notional).toBeCloseTo(-199.57, 9);
  });
});

describe('appendBars', () => {
  it('appends closes per symbol, replaces a repeated bar and ignores older ones', () => {
    let h = appendBars({}, [bar('BTCUSDT', 1000, '60000.1'), bar('ETHUSDT', 1000, '3000')]);
    h = appendBars(h, [bar('BTCUSDT', 2000, '60001')]);
    h = appendBars(h, [bar('BTCUSDT', 2000, '60002')]); // the snapshot a new subscriber receives
    h = appendBars(h, [bar('BTCUSDT', 1500, '1')]);
    expect(h.BTCUSDT.map((p) => [p.t, p.text])).toEqual([
      [1000, '60000.1'],
      [2000, '60002'],
    ]);
    expect(h.ETHUSDT).toHaveLength(1);
  });
  it('keeps at most `max` points and returns the same object when nothing changed', () => {
    let h = appendBars({}, [1, 2, 3, 4].map((i) => bar('X', i * 1000, String(i))), 3);
    expect(h.X.map((p) => p.close)).toEqual([2, 3, 4]);
    expect(appendBars(h, [bar('X', 100, '9')])).toBe(h);
    h = appendBars(h, [{ ...bar('X', 9000, '5'), close: 'NaN' }]);
    expect(h.X).toHaveLength(3);
  });
  it('measures the change from the first close held', () => {
    const c = priceChange(appendBars({}, [bar('X', 1000, '100'), bar('X', 2000, '102.5')]).X);
    expect(c).toEqual({ last: '102.5', change: 2.5, changeRatio: 0.025 });
    expect(priceChange(undefined)).toBeNull();
  });
});

describe('equitySeries', () => {
  const h = (ts_ms: number, equity: string): HistoryPoint => ({
    ts: '',
    ts_ms,
    equity,
    gross_exposure: '0',
    net_exposure: '0',
    margin_used: '0',
    margin_usage: 0,
    var: 0,
  });
  it('puts live points after the stored snapshots', () => {
    const s = equitySeries([h(1000, '100000'), h(11000, '100010')], [
      { t: 5000, v: 1 },
      { t: 12000, v: 100020 },
    ]);
    expect(s).toEqual([
      { t: 1000, v: 100000 },
      { t: 11000, v: 100010 },
      { t: 12000, v: 100020 },
    ]);
  });
});

describe('sparklinePoints', () => {
  it('scales values into the box, top = highest', () => {
    expect(sparklinePoints([1, 3, 2], 100, 10)).toBe('0.0,10.0 50.0,0.0 100.0,5.0');
    expect(sparklinePoints([5, 5], 10, 10)).toBe('0.0,5.0 10.0,5.0');
    expect(sparklinePoints([], 10, 10)).toBe('');
  });
});
