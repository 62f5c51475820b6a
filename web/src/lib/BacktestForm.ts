// The backtest form and result shaping (POST /api/backtests, GET /api/backtests/{id}): strategy parameters
// read and checked against their declared type and range, the request body, and the result's series turned
// into chart points, trade markers and the monthly-returns heatmap.
import type { Heatmap } from './RiskFigures';

export interface StrategyParam {
  name: string;
  type: 'number' | 'integer' | 'boolean';
  default: number;
  min: number;
  max: number;
  description: string;
}

export interface StrategyInfo {
  name: string;
  description: string;
  parameters: StrategyParam[];
}

export interface BacktestFormState {
  strategy: string;
  params: Record<string, string>; // text as typed; booleans "true"/"false"
  source: 'synthetic' | 'csv';
  symbols: string; // comma separated
  bars: string;
  interval: string;
  seed: string;
  files: string; // one path per line
  bar_time: 'start' | 'end'; // which end of each bar the CSV files' timestamps name
  starting_balance: string;
  notional: string; // each entry's size; empty = the server's default (10 % of the balance)
  slippage_bps: string;
  trade_from: string; // empty = trade from the first bar; else ISO 8601 UTC (earlier bars only warm up)
  label: string;
}

export function defaultParams(s: StrategyInfo | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of s?.parameters ?? []) out[p.name] = p.type === 'boolean' ? String(p.default !== 0) : String(p.default);
  return out;
}

export function initialForm(strategies: StrategyInfo[]): BacktestFormState {
  const s = strategies.find((x) => x.name === 'sma_cross') ?? strategies[0];
  return {
    strategy: s?.name ?? '',
    params: defaultParams(s),
    source: 'synthetic',
    symbols: 'BTCUSDT',
    bars: '2000',
    interval: '1h',
    seed: '7',
    files: '',
    bar_time: 'start',
    starting_balance: '100000',
    notional: '',
    slippage_bps: '0',
    trade_from: '',
    label: '',
  };
}

export type Errors = Record<string, string>;

// Each parameter as a number within [min, max] (integers whole); errors keyed "params.<name>".
export function parseParams(s: StrategyInfo | undefined, values: Record<string, string>): { params: Record<string, number | boolean>; errors: Errors } {
  const params: Record<string, number | boolean> = {};
  const errors: Errors = {};
  for (const p of s?.parameters ?? []) {
    const text = (values[p.name] ?? '').trim();
    const key = `params.${p.name}`;
    if (p.type === 'boolean') {
      params[p.name] = text === 'true' || text === '1';
      continue;
    }
    if (text === '') {
      errors[key] = 'required';
      continue;
    }
    const n = Number(text);
    if (!Number.isFinite(n)) errors[key] = 'not a number';
    else if (p.type === 'integer' && !Number.isInteger(n)) errors[key] = 'a whole number';
    else if (n < p.min || n > p.max) errors[key] = `between ${p.min} and ${p.max}`;
    else params[p.name] = n;
  }
  return { params, errors };
}

const durationRe = /^\d+(ms|s|m|h|d|w)$/;
// A date, or a date and time to the minute or second, UTC unless an offset is given (the server's forms).
const timeRe = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

// The request body, or the problems found before sending.
export function backtestBody(f: BacktestFormState, strategies: StrategyInfo[]): { body: Record<string, unknown> } | { errors: Errors } {
  const s = strategies.find((x) => x.name === f.strategy);
  const errors: Errors = {};
  if (!s) errors.strategy = 'choose a strategy';
  const { params, errors: pe } = parseParams(s, f.params);
  Object.assign(errors, pe);
  let data: Record<string, unknown>;
  if (f.source === 'synthetic') {
    const symbols = f.symbols
      .split(/[\s,]+/)
      .map((x) => x.trim().toUpperCase())
      .filter(Boolean);
    if (symbols.length === 0) errors['data.symbols'] = 'at least one symbol';
    if (!/^\d+$/.test(f.bars.trim()) || Number(f.bars) < 10) errors['data.bars'] = 'a whole number ≥ 10';
    if (!durationRe.test(f.interval.trim())) errors['data.interval'] = 'a duration such as 1m, 15m, 1h, 1d';
    if (!/^\d+$/.test(f.seed.trim())) errors['data.seed'] = 'a whole number ≥ 0';
    data = { source: 'synthetic', symbols, bars: Number(f.bars), interval: f.interval.trim(), seed: Number(f.seed) };
  } else {
    const files = f.files
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean);
    if (files.length === 0) errors['data.files'] = 'at least one CSV file on the server';
    data = { source: 'csv', files, bar_time: f.bar_time };
  }
  if (!/^\d+(\.\d+)?$/.test(f.starting_balance.trim()) || Number(f.starting_balance) <= 0) errors.starting_balance = 'a positive amount';
  if (f.notional.trim() && (!/^\d+(\.\d+)?$/.test(f.notional.trim()) || Number(f.notional) <= 0)) errors.notional = 'a positive amount, or empty';
  if (!/^\d+(\.\d+)?$/.test(f.slippage_bps.trim())) errors.slippage_bps = 'a number ≥ 0';
  if (f.trade_from.trim() && !timeRe.test(f.trade_from.trim())) errors.trade_from = 'a date or time such as 2024-03-01 or 2024-03-01T12:00Z, or empty';
  if (Object.keys(errors).length > 0) return { errors };
  const body: Record<string, unknown> = {
    strategy: f.strategy,
    params,
    data,
    starting_balance: f.starting_balance.trim(),
    slippage_bps: f.slippage_bps.trim(),
  };
  if (f.notional.trim()) body.notional = f.notional.trim();
  if (f.trade_from.trim()) body.trade_from = f.trade_from.trim();
  if (f.label.trim()) body.label = f.label.trim();
  return { body };
}

export interface SeriesPointIn {
  ts_ms: number;
  value?: number;
  close?: number;
}

export function toPoints(series: SeriesPointIn[] | undefined, key: 'value' | 'close' = 'value'): { t: number; v: number }[] {
  const out: { t: number; v: number }[] = [];
  for (const p of series ?? []) {
    const v = p[key];
    if (typeof v === 'number' && Number.isFinite(v)) out.push({ t: p.ts_ms, v });
  }
  return out;
}

export interface TradeMarkerIn {
  ts_ms: number;
  side: string;
  price: number | string;
  quantity: number | string;
  kind: string; // entry | exit
}

export interface ChartMarker {
  t: number;
  position: 'aboveBar' | 'belowBar';
  shape: 'arrowUp' | 'arrowDown' | 'circle';
  color: string;
  text?: string;
}

// Entries as arrows — buys below the bar pointing up (green, "B"), sells above pointing down (red, "S");
// exits as small unlabelled circles in the exit order's colour, so a dense chart stays readable.
export function tradeMarkers(markers: TradeMarkerIn[] | undefined): ChartMarker[] {
  return (markers ?? []).map((m) => {
    const buy = m.side.toUpperCase() === 'BUY' || m.side.toUpperCase() === 'LONG';
    const color = buy ? '#3fb950' : '#f85149';
    if (m.kind === 'exit') return { t: m.ts_ms, position: buy ? 'belowBar' : 'aboveBar', shape: 'circle', color };
    return { t: m.ts_ms, position: buy ? 'belowBar' : 'aboveBar', shape: buy ? 'arrowUp' : 'arrowDown', color, text: buy ? 'B' : 'S' };
  });
}

export const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Years (rows, oldest at the top) × months; returns as fractions, rounded to 0.01 % for the labels;
// symmetric colour range.
export function monthlyHeatmap(monthly: { year: number; month: number; return: number }[] | undefined): Heatmap {
  const rows = monthly ?? [];
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => b - a); // echarts draws y from the bottom
  let extent = 0;
  const cells: [number, number, number][] = [];
  for (const r of rows) {
    if (!Number.isFinite(r.return) || r.month < 1 || r.month > 12) continue;
    const v = Math.round(r.return * 10000) / 10000;
    extent = Math.max(extent, Math.abs(v));
    cells.push([r.month - 1, years.indexOf(r.year), v]);
  }
  const bound = extent > 0 ? extent : 0.01;
  return { x: monthNames, y: years.map(String), cells, min: -bound, max: bound };
}

export const finished = (status: string) => status === 'DONE' || status === 'FAILED' || status === 'CANCELED';
