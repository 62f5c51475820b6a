// Pure shaping of the risk endpoints' answers for the Risk page (docs/api.md: GET /api/risk,
// /api/risk/analysis, /api/positions/correlation): limit utilisation classes and labels, the VaR/ES table
// by method × confidence, and the heatmap cells of the correlation and stress matrices.
import { compact, money, multiple, toNumber, type Num } from './format';

// ---- limit utilisation ---------------------------------------------------------------------------------

export interface RiskLimit {
  limit: string; // code, e.g. "MAX_GROSS_EXPOSURE"
  max: number;
  value: number;
  utilisation: number; // value / max
}

export const warnAt = 0.8;

// The bar class of a utilisation: "" below 80 %, "warn" from 80 %, "over" from 100 %.
export function limitClass(utilisation: Num, warning = warnAt): '' | 'warn' | 'over' {
  const u = toNumber(utilisation);
  if (u === null) return '';
  if (u >= 1) return 'over';
  if (u >= warning) return 'warn';
  return '';
}

// Width of the bar's fill in percent, clamped to [0, 100].
export function barWidth(utilisation: Num): number {
  const u = toNumber(utilisation);
  if (u === null || u <= 0) return 0;
  return Math.min(100, u * 100);
}

// "MAX_GROSS_EXPOSURE" → "Max gross exposure".
export function limitLabel(code: string): string {
  const special: Record<string, string> = { PORTFOLIO_VAR: 'Portfolio VaR', MARGIN: 'Margin' };
  if (special[code]) return special[code];
  const words = code.toLowerCase().split('_');
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
}

export type LimitUnit = 'money' | 'multiple' | 'count';

export function limitUnit(code: string): LimitUnit {
  if (code.includes('LEVERAGE')) return 'multiple';
  if (/TRADES|ORDERS|STREAK/.test(code)) return 'count';
  return 'money';
}

// A limit's value or maximum in its unit: money in USDT, leverage as a multiple, counts as integers.
export function limitFigure(code: string, v: Num, currency = 'USDT'): string {
  const n = toNumber(v);
  if (n === null) return '—';
  switch (limitUnit(code)) {
    case 'multiple':
      return multiple(n);
    case 'count':
      return `${Math.round(n)}`;
    default:
      return money(n, currency);
  }
}

// Most used first, so what is close to its limit is on top.
export function sortLimits(limits: RiskLimit[]): RiskLimit[] {
  return [...limits].sort((a, b) => (b.utilisation ?? 0) - (a.utilisation ?? 0));
}

// ---- VaR / ES ------------------------------------------------------------------------------------------

export interface VarEstimate {
  method: string;
  confidence: number;
  var: number;
  expected_shortfall: number;
  var_standard_error?: number;
  es_standard_error?: number;
}

export interface VarRow {
  method: string;
  cells: ({ var: number; es: number; varSe: number | null; esSe: number | null } | null)[]; // by confidence
}

export const methodLabels: Record<string, string> = {
  HISTORICAL: 'Historical',
  PARAMETRIC_NORMAL: 'Parametric (normal)',
  CORNISH_FISHER: 'Cornish–Fisher',
  MONTE_CARLO: 'Monte Carlo',
};

// One row per method (in the server's order), one cell per confidence (null when the method lacks it).
export function varTable(estimates: VarEstimate[], confidences: number[]): VarRow[] {
  const methods: string[] = [];
  for (const e of estimates) if (!methods.includes(e.method)) methods.push(e.method);
  return methods.map((method) => ({
    method,
    cells: confidences.map((c) => {
      const e = estimates.find((x) => x.method === method && Math.abs(x.confidence - c) < 1e-9);
      return e
        ? { var: e.var, es: e.expected_shortfall, varSe: e.var_standard_error ?? null, esSe: e.es_standard_error ?? null }
        : null;
    }),
  }));
}

// "needs 12 more bars" from a 409 INSUFFICIENT_HISTORY message ("18 returns of paper bars available, 30
// needed", "12 closes of BTCUSDT available, 51 needed"); the message itself when it has no such numbers.
export function insufficientHistory(message: string): string {
  const have = /(\d+)\s+(?:returns|closes)\b/i.exec(message);
  const need = /(\d+)\s+needed/i.exec(message);
  if (have && need) {
    const missing = Math.max(1, Number(need[1]) - Number(have[1]));
    return `Not enough history yet: needs ${missing} more bar${missing === 1 ? '' : 's'}.`;
  }
  return `Not enough history yet: ${message}`;
}

// ---- heatmaps ------------------------------------------------------------------------------------------

// ECharts heatmap data: [x index, y index, value] with the value rounded for the cell label.
export type Cell = [number, number, number];

export interface Heatmap {
  x: string[];
  y: string[];
  cells: Cell[];
  min: number;
  max: number;
}

// The correlation matrix, symbols on both axes (y reversed so the diagonal runs top-left to bottom-right).
export function correlationHeatmap(symbols: string[], matrix: number[][]): Heatmap {
  const n = symbols.length;
  const cells: Cell[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = matrix[i]?.[j];
      if (typeof v === 'number' && Number.isFinite(v)) cells.push([j, n - 1 - i, Math.round(v * 100) / 100]);
    }
  }
  return { x: [...symbols], y: [...symbols].reverse(), cells, min: -1, max: 1 };
}

export interface StressScenario {
  name: string;
  pnl: number;
  fraction_of_equity?: number;
  note?: string;
  instruments: { symbol: string; pnl: number; move?: number }[];
}

// Scenarios (rows, worst at the top) × instruments plus a "Total" column; P&L in the settlement currency,
// symmetric colour range so zero is neutral.
export function stressHeatmap(scenarios: StressScenario[]): Heatmap {
  const symbols: string[] = [];
  for (const s of scenarios) for (const i of s.instruments) if (!symbols.includes(i.symbol)) symbols.push(i.symbol);
  const x = [...symbols, 'Total'];
  const ordered = [...scenarios].sort((a, b) => b.pnl - a.pnl); // best first: echarts draws y from the bottom
  const cells: Cell[] = [];
  let extent = 0;
  ordered.forEach((s, row) => {
    symbols.forEach((sym, col) => {
      const inst = s.instruments.find((i) => i.symbol === sym);
      if (!inst) return;
      const v = Math.round(inst.pnl * 100) / 100;
      extent = Math.max(extent, Math.abs(v));
      cells.push([col, row, v]);
    });
    const total = Math.round(s.pnl * 100) / 100;
    extent = Math.max(extent, Math.abs(total));
    cells.push([symbols.length, row, total]);
  });
  const bound = extent > 0 ? extent : 1;
  return { x, y: ordered.map((s) => s.name), cells, min: -bound, max: bound };
}

// A heatmap cell's label: compact money ("-4.94k") for P&L, two places for correlations.
export function cellLabel(v: number, kind: 'pnl' | 'ratio'): string {
  return kind === 'ratio' ? v.toFixed(2) : compact(v);
}
