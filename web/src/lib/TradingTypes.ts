// JSON shapes of the trading endpoints and live channels (docs/api.md) as the server sends them: money,
// prices and quantities are decimal strings, ratios are numbers, times ISO-8601 UTC (+ ts_ms for series).

export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

export interface Bar {
  symbol: string;
  instrument_id: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  ts: string;
  ts_ms: number;
}

export interface Position {
  symbol: string;
  venue: string;
  instrument_id: string;
  side: 'LONG' | 'SHORT' | 'FLAT';
  quantity: string; // signed: long > 0
  avg_entry_price: string;
  mark_price: string;
  notional: string; // signed
  unrealized_pnl: string;
  realized_pnl: string;
  initial_margin: string;
  leverage: string;
  liquidation: string; // NEVER | AT_PRICE | AT_ANY_PRICE
  liquidation_price: string | null;
  margin_mode: string;
  open_orders: number;
  ts: string;
}

export interface AccountSnapshot {
  account_id: string;
  currency: string;
  equity: string;
  wallet_balance: string;
  available_margin: string;
  initial_margin: string;
  open_order_margin: string;
  unrealized_pnl: string;
}

export interface Performance {
  daily_pnl: string;
  drawdown: number;
  equity: string;
  gross_exposure: string;
  net_exposure: string;
  leverage: number;
  margin_ratio: number;
  peak_equity: string;
  portfolio_var: number;
  realized_pnl: string;
  unrealized_pnl: string;
  trading_state: TradingState;
  ts: string;
}

// The `risk` channel snapshot.
export interface RiskSnapshot {
  emergency_stop: boolean;
  gross_exposure: string;
  net_exposure: string;
  portfolio_var: number;
  trading_state: TradingState;
  performance: Performance;
}

export interface LimitUse {
  limit: string;
  max: number;
  value: number;
  utilisation: number;
}

// GET /api/risk (adds limit utilisation and counters to the channel's figures).
export interface RiskStatus extends RiskSnapshot {
  equity: string;
  daily_pnl: string;
  leverage: number;
  margin_ratio: number;
  limits: LimitUse[];
  cooldown_until: string | null;
}

export interface HistoryPoint {
  ts: string;
  ts_ms: number;
  equity: string;
  gross_exposure: string;
  net_exposure: string;
  margin_used: string;
  margin_usage: number;
  var: number;
}

export interface Account {
  account_id: string;
  venue: string;
  currency: string;
  starting_balance: string;
  equity: string;
}

export interface VenueReport {
  venue: string;
  ok: boolean;
  close_orders: unknown[];
  errors: unknown[];
}

export interface EmergencyStopResult {
  engaged: boolean;
  already_engaged?: boolean;
  engaged_by?: string;
  flatten?: boolean;
  since?: string;
  trading_state: TradingState;
  venues?: VenueReport[];
}

export interface Order {
  id: string;
  symbol: string;
  venue: string;
  instrument_id: string;
  side: 'BUY' | 'SELL';
  type: string;
  status: string;
  quantity: string;
  filled_quantity: string;
  leaves_quantity: string;
  price: string | null;
  trigger_price: string | null;
  avg_fill_price: string | null;
  time_in_force: string;
  reduce_only: boolean;
  post_only: boolean;
  reason: string;
  strategy_id: string;
  created: string;
  updated: string;
  venue_order_id: string | null;
}

export interface Fill {
  order_id: string;
  instrument_id: string;
  side: string;
  price: string;
  quantity: string;
  fee: string;
  fee_currency: string;
  liquidity: string;
  trade_id: string;
  ts: string;
}

export interface OrderPage {
  orders: Order[];
  limit: number;
  offset: number;
}

export interface RiskCheck {
  check: string;
  status: string; // PASSED | DENIED | DISABLED | …
  reason: string;
  limit: string;
  value: string;
}

export interface Decision {
  verdict: 'APPROVED' | 'DENIED' | string;
  reason: string;
  check: string;
  message: string;
  quantity: string;
  limit?: string;
  value?: string;
  limit_label?: string;
  value_label?: string;
}

// POST /api/risk/evaluate
export interface Evaluation {
  decision: Decision;
  checks: RiskCheck[];
}

export interface VarComponent {
  symbol: string;
  exposure: number;
  marginal_var: number;
  component_var: number;
}

export interface VarEstimate {
  method: string;
  confidence: number;
  var: number;
  expected_shortfall: number;
  components?: VarComponent[];
}

// GET /api/risk/analysis (the parts the positions table uses).
export interface RiskAnalysis {
  estimates: VarEstimate[];
  currency: string;
  note?: string;
}
