// The execution-algorithm start form (POST /api/execution/algos): which fields each algorithm takes, the
// checks the server makes (docs/execution.md), and the request body; plus the live list's merge of
// {"type":"algo"} updates from the "orders" channel.

export const algorithms = ['TWAP', 'VWAP', 'POV', 'ICEBERG'] as const;
export type Algorithm = (typeof algorithms)[number];

export interface AlgoForm {
  algorithm: Algorithm;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: string;
  duration: string;
  slices: string;
  participation: string;
  display_quantity: string;
  limit_price: string;
  urgency: 'PASSIVE' | 'AGGRESSIVE';
}

export function emptyAlgo(): AlgoForm {
  return {
    algorithm: 'TWAP',
    symbol: 'BTCUSDT',
    side: 'BUY',
    quantity: '',
    duration: '10m',
    slices: '10',
    participation: '0.1',
    display_quantity: '',
    limit_price: '',
    urgency: 'PASSIVE',
  };
}

export interface AlgoFields {
  duration: boolean;
  durationRequired: boolean;
  slices: boolean;
  participation: boolean;
  display_quantity: boolean;
  limitRequired: boolean;
}

export function algoFields(a: Algorithm): AlgoFields {
  return {
    duration: true,
    durationRequired: a !== 'ICEBERG', // an iceberg rests for a day unless told otherwise
    slices: a === 'TWAP' || a === 'VWAP',
    participation: a === 'POV',
    display_quantity: a === 'ICEBERG',
    limitRequired: a === 'ICEBERG',
  };
}

const positive = (t: string) => /^\d+(\.\d+)?$/.test(t.trim()) && Number(t) > 0;
const durationRe = /^\d+(ms|s|m|h|d)$/;

export type AlgoErrors = Record<string, string>;

export function algoBody(f: AlgoForm): { body: Record<string, unknown> } | { errors: AlgoErrors } {
  const fields = algoFields(f.algorithm);
  const e: AlgoErrors = {};
  if (!f.symbol.trim()) e.symbol = 'required';
  if (!positive(f.quantity)) e.quantity = 'a positive quantity';
  const duration = f.duration.trim();
  if (duration && !durationRe.test(duration)) e.duration = 'a duration such as 90s, 10m, 1h';
  if (!duration && fields.durationRequired) e.duration = `required for ${f.algorithm}`;
  if (fields.slices && f.slices.trim() && (!/^\d+$/.test(f.slices.trim()) || Number(f.slices) < 1 || Number(f.slices) > 10000)) {
    e.slices = 'a whole number in [1, 10000]';
  }
  if (fields.participation) {
    const p = Number(f.participation);
    if (!(f.participation.trim() !== '' && p > 0 && p < 1)) e.participation = 'a number in (0, 1), e.g. 0.1 = 10 %';
  }
  if (fields.display_quantity && !positive(f.display_quantity)) e.display_quantity = 'required: the visible slice';
  else if (fields.display_quantity && positive(f.quantity) && Number(f.display_quantity) > Number(f.quantity)) {
    e.display_quantity = 'at most the quantity';
  }
  if (f.limit_price.trim() && !positive(f.limit_price)) e.limit_price = 'a positive price';
  if (fields.limitRequired && !f.limit_price.trim()) e.limit_price = 'required for ICEBERG (the price the slices rest at)';
  if (Object.keys(e).length > 0) return { errors: e };
  const body: Record<string, unknown> = {
    algorithm: f.algorithm,
    symbol: f.symbol.trim().toUpperCase(),
    side: f.side,
    quantity: f.quantity.trim(),
    urgency: f.urgency,
  };
  if (duration) body.duration = duration;
  if (fields.slices && f.slices.trim()) body.slices = Number(f.slices);
  if (fields.participation) body.participation = Number(f.participation);
  if (fields.display_quantity) body.display_quantity = f.display_quantity.trim();
  if (f.limit_price.trim()) body.limit_price = f.limit_price.trim();
  return { body };
}

export interface AlgoView {
  id: string;
  algorithm: string;
  symbol: string;
  side: string;
  quantity: string;
  filled: string;
  working: string;
  remaining: string;
  schedule_target: string;
  progress: number | null;
  schedule_progress: number | null;
  status: string;
  reason?: string | null;
  start?: string;
  end?: string;
  finished?: string | null;
  updated?: string;
  children: number;
  denials: number;
  last_denial?: { code: string; message: string } | null;
  created_by?: string;
  quality: {
    arrival_price: string | null;
    average_price: string | null;
    slippage_bps: string | number | null;
    market_vwap: string | number | null;
    vwap_slippage_bps: string | number | null;
    participation_rate: number | null;
    fees: string | null;
    fees_bps?: string | number | null;
    total_cost_bps?: string | number | null;
    opportunity_cost_bps?: string | number | null;
    shortfall_bps?: string | number | null;
    fill_rate?: number | null;
  };
}

// A live update replaces the algo with the same id, or adds it at the top (newest first).
export function mergeAlgo(list: AlgoView[], update: AlgoView): AlgoView[] {
  const i = list.findIndex((a) => a.id === update.id);
  if (i < 0) return [update, ...list];
  const next = [...list];
  next[i] = update;
  return next;
}

// Behind (negative) or ahead of the schedule, as a fraction of the parent quantity.
export function scheduleGap(a: Pick<AlgoView, 'progress' | 'schedule_progress'>): number | null {
  if (a.progress === null || a.schedule_progress === null) return null;
  return a.progress - a.schedule_progress;
}

// Basis points with their unit: 12.345 → "12.3 bp".
export function bps(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  return Number.isFinite(n) ? `${n.toFixed(1)} bp` : '—';
}
