// The live venue accounts of `[[venues]]` (GET /api/venues): their shapes as the server writes them
// (docs/api.md, docs/venues.md) and the summaries the Venues page shows.
import type { Position } from './TradingTypes';

export interface ReconciliationCorrection {
  kind: string; // POSITION_ADOPTED, ORDER_CLOSED, FILL_RECOVERED, …
  venue: string;
  instrument: string;
  detail: string;
  at: string;
  client_order_id: string | null;
  venue_order_id: string | null;
  trade_id: string | null;
}

export interface ReconciliationReport {
  venue: string;
  at: string;
  venue_open_orders: number;
  venue_fills: number;
  venue_positions: number;
  fills_skipped: number;
  counts: Record<string, number>;
  corrections: ReconciliationCorrection[];
  warnings: string[];
}

export interface LiquidationComparison {
  instrument: string;
  venue_quantity: string;
  book_quantity: string;
  venue_margin_mode: string | null;
  book_margin_mode: string;
  venue_liquidation_price: string | null;
  our_liquidation_price: string | null;
  our_outcome: string | null;
  difference_bps: string | null;
  verdict: 'AGREES' | 'DIFFERS' | 'NOT_COMPARED';
  note: string;
}

export interface LiquidationCheck {
  at: string;
  tolerance_bps: string;
  positions: LiquidationComparison[];
}

export interface VenueStatus {
  name: string;
  kind: string;
  network: string;
  account_id: string;
  venue?: string;
  read_only: boolean;
  connected?: boolean;
  market_data_connected?: boolean;
  trading_state?: string;
  emergency_stop?: boolean;
  currency?: string;
  wallet_balance?: string;
  equity?: string;
  unrealized_pnl?: string;
  available_margin?: string;
  positions?: Position[];
  open_orders?: unknown[];
  disconnects?: number;
  request_weight?: { used: number; limit: number };
  needs_reconciliation?: boolean;
  reconciliation?: ReconciliationReport | null;
  liquidation_check?: LiquidationCheck | null;
}

// "connected", "market data down", "disconnected" or "starting" (no status from the venue's thread yet).
export function connectionText(v: VenueStatus): string {
  if (v.connected === undefined) return 'starting';
  if (!v.connected) return 'disconnected';
  if (v.market_data_connected === false) return 'market data down';
  return 'connected';
}

// The REST request weight spent in the venue's window as a share of its limit ("12 / 2400 (0.5 %)").
export function weightText(v: VenueStatus): string {
  const w = v.request_weight;
  if (!w || !(w.limit > 0)) return '—';
  return `${w.used} / ${w.limit} (${((100 * w.used) / w.limit).toFixed(1)} %)`;
}

// "in sync" / "needed" and the last report's corrections by kind ("1 correction: POSITION_ADOPTED 1").
export function reconciliationText(v: VenueStatus): string {
  const r = v.reconciliation;
  const state = v.needs_reconciliation ? 'needed' : r ? 'in sync' : 'not yet';
  if (!r) return state;
  const n = r.corrections.length;
  if (n === 0) return `${state}; no corrections`;
  const kinds = Object.entries(r.counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, c]) => `${k} ${c}`)
    .join(', ');
  return `${state}; ${n} correction${n === 1 ? '' : 's'}: ${kinds}`;
}

// The last liquidation-price check by verdict ("2 agree, 1 differs"), or "not yet".
export function liquidationText(check: LiquidationCheck | null | undefined): string {
  if (!check) return 'not yet';
  if (check.positions.length === 0) return 'no positions';
  const count = (verdict: LiquidationComparison['verdict']) => check.positions.filter((p) => p.verdict === verdict).length;
  const parts: string[] = [];
  const agree = count('AGREES');
  const differ = count('DIFFERS');
  const not = count('NOT_COMPARED');
  if (agree) parts.push(`${agree} agree${agree === 1 ? 's' : ''}`);
  if (differ) parts.push(`${differ} differ${differ === 1 ? 's' : ''}`);
  if (not) parts.push(`${not} not compared`);
  return parts.join(', ');
}
