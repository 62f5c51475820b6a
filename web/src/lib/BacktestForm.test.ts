import { describe, expect, it } from 'vitest';
import { backtestBody, defaultParams, initialForm, monthlyHeatmap, parseParams, toPoints, tradeMarkers, type StrategyInfo } from './BacktestForm';

const strategies: StrategyInfo[] = [
  {
    name: 'sma_cross',
    description: 'simple moving-average crossover',
    parameters: [
      { name: 'fast', type: 'integer', default: 10, min: 1, max: 500, description: 'fast period' },
      { name: 'slow', type: 'integer', default: 30, min: 2, max: 1000, description: 'slow period' },
      { name: 'allow_short', type: 'boolean', default: 0, min: 0, max: 1, description: 'short too' },
    ],
  },
];

describe('backtest form', () => {
  it('starts from the strategy defaults', () => {
    expect(defaultParams(strategies[0])).toEqual({ fast: '10', slow: '30', allow_short: 'false' });
    expect(initialForm(strategies).strategy).toBe('sma_cross');
  });
  it('parses parameters against their type and range', () => {
    const { params, errors } = parseParams(strategies[0], { fast: '12', slow: '2.5', allow_short: 'true' });
    expect(params).toEqual({ fast: 12, allow_short: true });
    expect(errors).toEqual({ 'params.slow': 'a whole number' });
    expect(parseParams(strategies[0], { fast: '0', slow: '', allow_short: 'false' }).errors).toEqual({
      'params.fast': 'between 1 and 500',
      'params.slow': 'required',
    });
  });
  it('builds the synthetic request body', () => {
    const out = backtestBody({ ...initialForm(strategies), symbols: 'btcusdt, ethusdt', label: ' run 1 ', notional: '5000' }, strategies);
    expect(out).toEqual({
      body: {
        strategy: 'sma_cross',
        params: { fast: 10, slow: 30, allow_short: false },
        data: { source: 'synthetic', symbols: ['BTCUSDT', 'ETHUSDT'], bars: 2000, interval: '1h', seed: 7 },
        starting_balance: '100000',
        slippage_bps: '0',
        notional: '5000',
        label: 'run 1',
      },
    });
    const bad = backtestBody({ ...initialForm(strategies), bars: 'x', interval: 'hourly', source: 'synthetic' }, strategies);
    expect(bad).toEqual({ errors: { 'data.bars': 'a whole number ≥ 10', 'data.interval': 'a duration such as 1m, 15m, 1h, 1d' } });
    expect(backtestBody({ ...initialForm(strategies), notional: '-1' }, strategies)).toEqual({ errors: { notional: 'a positive amount, or empty' } });
    expect(backtestBody({ ...initialForm(strategies), trade_from: ' 2024-03-01T12:00Z ' }, strategies)).toMatchObject({
      body: { trade_from: '2024-03-01T12:00Z' },
    });
    expect(backtestBody({ ...initialForm(strategies), trade_from: '2024-03-01' }, strategies)).toMatchObject({ body: { trade_from: '2024-03-01' } });
    expect(backtestBody({ ...initialForm(strategies), trade_from: 'March 1st' }, strategies)).toEqual({
      errors: { trade_from: 'a date or time such as 2024-03-01 or 2024-03-01T12:00Z, or empty' },
    });
    expect('trade_from' in (backtestBody(initialForm(strategies), strategies) as { body: object }).body).toBe(false);
    expect(backtestBody({ ...initialForm(strategies), source: 'csv', files: ' a.csv \n\n b.csv' }, strategies)).toMatchObject({
      body: { data: { source: 'csv', files: ['a.csv', 'b.csv'], bar_time: 'start' } },
    });
    expect(backtestBody({ ...initialForm(strategies), source: 'csv', files: 'a.csv', bar_time: 'end' }, strategies)).toMatchObject({
      body: { data: { source: 'csv', files: ['a.csv'], bar_time: 'end' } },
    });
  });
  it('shapes the result for the charts', () => {
    expect(toPoints([{ ts_ms: 1, value: 2 }, { ts_ms: 2 }], 'value')).toEqual([{ t: 1, v: 2 }]);
    expect(toPoints([{ ts_ms: 1, close: 5 }], 'close')).toEqual([{ t: 1, v: 5 }]);
    const [buy, sell] = tradeMarkers([
      { ts_ms: 1, side: 'BUY', price: 1, quantity: 1, kind: 'entry' },
      { ts_ms: 2, side: 'SELL', price: 1, quantity: 1, kind: 'exit' },
    ]);
    expect(buy).toMatchObject({ position: 'belowBar', shape: 'arrowUp', text: 'B' });
    expect(sell).toEqual({ t: 2, position: 'aboveBar', shape: 'circle', color: '#f85149' });
  });
  it('lays monthly returns out as years × months', () => {
    const h = monthlyHeatmap([
      { year: 2025, month: 12, return: 0.0123456 },
      { year: 2026, month: 1, return: -0.05 },
    ]);
    expect(h.x[0]).toBe('Jan');
    expect(h.y).toEqual(['2026', '2025']);
    expect(h.cells).toEqual([
      [11, 1, 0.0123],
      [0, 0, -0.05],
    ]);
    expect([h.min, h.max]).toEqual([-0.05, 0.05]);
  });
});
