// Figures the dashboard derives from API values where the API has no field for them: the distance from
// mark to the nearest liquidation price, each position's share of the parametric portfolio VaR, exposure
// per instrument for the bars, and the price and equity series accumulated from the live channels.
// Everything the API does send (equity, P&L, margin, VaR) is shown as sent, never recomputed.
import { toNumber } from './format';
import type { Bar, HistoryPoint, Position, RiskAnalysis } from './TradingTypes';

export interface LiquidationDistance {
  symbol: string;
  mark: number;
  liquidationPrice: number;
  distance: number; // |mark − LP| / mark, a fraction (0.25 = the mark must move 25 % to liquidate)
}

// The position whose liquidation price is nearest its mark, relatively; null when none can be liquidated
// at a price (liquidation NEVER, or no price sent).
export function nearestLiquidation(positions: Position[]): LiquidationDistance | null {
  let best: LiquidationDistance | null = null;
  for (const p of positions) {
    const lp = toNumber(p.liquidation_price);
    const mark = toNumber(p.mark_price);
    if (lp === null || mark === null || mark <= 0 || lp <= 0) continue;
    const distance = Math.abs(mark - lp) / mark;
    if (best === null || distance < best.distance) best = { symbol: p.symbol, mark, liquidationPrice: lp, distance };
  }
  return best;
}

// Share of the PARAMETRIC_NORMAL portfolio VaR per symbol: component VaR / total (the components sum to the
// total, so shares sum to 1; a hedge has a negative share). Uses the lowest confidence the API returned.
export function varShares(analysis: RiskAnalysis | null): Map<string, number> {
  const shares = new Map<string, number>();
  if (!analysis) return shares;
  const parametric = analysis.estimates
    .filter((e) => e.method === 'PARAMETRIC_NORMAL' && e.components)
    .sort((a, b) => a.confidence - b.confidence)[0];
  if (!parametric || !(parametric.var > 0)) return shares;
  for (const c of parametric.components ?? []) shares.set(c.symbol, c.component_var / parametric.var);
  return shares;
}

export interface ExposureBar {
  symbol: string;
  notional: number; // signed: long > 0
}

// Signed notional per symbol (positions on several venues add up), largest absolute first.
export function exposureBySymbol(positions: Position[]): ExposureBar[] {
  const sums = new Map<string, number>();
  for (const p of positions) sums.set(p.symbol, (sums.get(p.symbol) ?? 0) + (toNumber(p.notional) ?? 0));
  return [...sums.entries()].map(([symbol, notional]) => ({ symbol, notional })).sort((a, b) => Math.abs(b.notional) - Math.abs(a.notional));
}

export interface PricePoint {
  t: number; // epoch ms of the bar
  close: number;
  text: string; // the close as sent
}

export type PriceHistory = Record<string, PricePoint[]>;

// Appends each bar's close to its symbol's series (a bar already held — same time — replaces the last point;
// older bars are ignored), keeping at most `max` points per symbol.
export function appendBars(history: PriceHistory, bars: Bar[], max = 2000): PriceHistory {
  let next: PriceHistory | null = null;
  for (const b of bars) {
    const close = toNumber(b.close);
    if (close === null || !b.symbol || !Number.isFinite(b.ts_ms)) continue;
    const series: PricePoint[] = (next ?? history)[b.symbol] ?? [];
    const last: PricePoint | undefined = series[series.length - 1];
    if (last && b.ts_ms < last.t) continue;
    const point: PricePoint = { t: b.ts_ms, close, text: b.close };
    const updated: PricePoint[] = last && last.t === b.ts_ms ? [...series.slice(0, -1), point] : [...series, point];
    next = { ...(next ?? history), [b.symbol]: updated.length > max ? updated.slice(updated.length - max) : updated };
  }
  return next ?? history;
}

export interface PriceChange {
  last: string;
  change: number; // last − first close held, in price units
  changeRatio: number; // relative to the first close held
}

export function priceChange(series: PricePoint[] | undefined): PriceChange | null {
  if (!series || series.length === 0) return null;
  const first = series[0];
  const last = series[series.length - 1];
  return { last: last.text, change: last.close - first.close, changeRatio: first.close !== 0 ? (last.close - first.close) / first.close : 0 };
}

export interface EquityPoint {
  t: number;
  v: number;
}

// The equity curve: the stored snapshots (GET /api/risk/history) followed by the live equity of the risk
// channel, in time order, one point per second at most (the chart's resolution).
export function equitySeries(history: HistoryPoint[], live: EquityPoint[]): EquityPoint[] {
  const points: EquityPoint[] = [];
  for (const h of history) {
    const v = toNumber(h.equity);
    if (v !== null && Number.isFinite(h.ts_ms)) points.push({ t: h.ts_ms, v });
  }
  const lastStored = points.length > 0 ? points[points.length - 1].t : -Infinity;
  for (const p of live) if (p.t > lastStored) points.push(p);
  return points.sort((a, b) => a.t - b.t);
}

// SVG polyline points for a sparkline of `values` in a width × height box (flat series: a middle line).
export function sparklinePoints(values: number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const y = span > 0 ? height - ((v - min) / span) * height : height / 2;
      return `${(i * step).toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}
