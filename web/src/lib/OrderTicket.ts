// The order ticket's logic, kept out of React so it can be tested: the form state, its validation (the
// same rules the server applies in model/order.cpp, so most mistakes are caught before a round trip), the
// request body for POST /api/risk/evaluate and POST /api/orders, and the reading of a risk decision.
import type { Decision, Evaluation, RiskCheck } from './TradingTypes';

export const orderTypes = ['MARKET', 'LIMIT', 'STOP_MARKET', 'STOP_LIMIT', 'TAKE_PROFIT'] as const;
export type OrderType = (typeof orderTypes)[number];
// GTD needs an expiry time, which the API does not take: not offered.
export const timesInForce = ['GTC', 'IOC', 'FOK'] as const;
export type TimeInForce = (typeof timesInForce)[number];
export type Side = 'BUY' | 'SELL';

export interface TicketState {
  symbol: string;
  side: Side;
  type: OrderType;
  quantity: string;
  price: string;
  triggerPrice: string;
  timeInForce: TimeInForce;
  reduceOnly: boolean;
  postOnly: boolean;
}

export const emptyTicket: TicketState = {
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'MARKET',
  quantity: '',
  price: '',
  triggerPrice: '',
  timeInForce: 'GTC',
  reduceOnly: false,
  postOnly: false,
};

// Which price fields a type takes: 'required', 'optional' or 'absent' (server: check_prices).
export function priceRule(type: OrderType): 'required' | 'optional' | 'absent' {
  if (type === 'LIMIT' || type === 'STOP_LIMIT') return 'required';
  if (type === 'TAKE_PROFIT') return 'optional';
  return 'absent';
}

export function triggerRule(type: OrderType): 'required' | 'absent' {
  return type === 'STOP_MARKET' || type === 'STOP_LIMIT' || type === 'TAKE_PROFIT' ? 'required' : 'absent';
}

// Post-only is for resting LIMIT orders (GTC) only.
export function postOnlyAllowed(t: Pick<TicketState, 'type' | 'timeInForce'>): boolean {
  return t.type === 'LIMIT' && t.timeInForce === 'GTC';
}

const decimalPattern = /^\d+(\.\d+)?$|^\.\d+$/;

function positiveDecimal(text: string): boolean {
  const s = text.trim();
  return decimalPattern.test(s) && Number(s) > 0;
}

export type TicketErrors = Partial<Record<'symbol' | 'quantity' | 'price' | 'trigger_price' | 'post_only', string>>;

// Field → message; empty when the ticket can be sent. Keys use the API's field names.
export function validateTicket(t: TicketState): TicketErrors {
  const errors: TicketErrors = {};
  if (!t.symbol.trim()) errors.symbol = 'choose an instrument';
  if (!t.quantity.trim()) errors.quantity = 'required';
  else if (!positiveDecimal(t.quantity)) errors.quantity = 'a positive decimal number, e.g. 0.01';
  const pr = priceRule(t.type);
  if (pr === 'required' && !t.price.trim()) errors.price = `required for ${t.type}`;
  else if (pr !== 'absent' && t.price.trim() && !positiveDecimal(t.price)) errors.price = 'a positive decimal number';
  if (triggerRule(t.type) === 'required') {
    if (!t.triggerPrice.trim()) errors.trigger_price = `required for ${t.type}`;
    else if (!positiveDecimal(t.triggerPrice)) errors.trigger_price = 'a positive decimal number';
  }
  if (t.postOnly && !postOnlyAllowed(t)) errors.post_only = 'only for LIMIT orders with GTC';
  return errors;
}

export function isValid(t: TicketState): boolean {
  return Object.keys(validateTicket(t)).length === 0;
}

export interface OrderBody {
  symbol: string;
  side: Side;
  type: OrderType;
  quantity: string;
  price?: string;
  trigger_price?: string;
  time_in_force: TimeInForce;
  reduce_only: boolean;
  post_only: boolean;
}

// The JSON body (docs/api.md "Submitting an order"): decimals stay strings, fields a type does not take are
// left out (the server refuses a price on a MARKET order).
export function orderBody(t: TicketState): OrderBody {
  const body: OrderBody = {
    symbol: t.symbol.trim(),
    side: t.side,
    type: t.type,
    quantity: t.quantity.trim(),
    time_in_force: t.timeInForce,
    reduce_only: t.reduceOnly,
    post_only: t.postOnly && postOnlyAllowed(t),
  };
  if (priceRule(t.type) !== 'absent' && t.price.trim()) body.price = t.price.trim();
  if (triggerRule(t.type) === 'required' && t.triggerPrice.trim()) body.trigger_price = t.triggerPrice.trim();
  return body;
}

// A risk decision as the ticket shows it.
export interface Verdict {
  approved: boolean;
  reason: string; // typed deny reason, "NONE" when approved
  check: string;
  message: string;
  // "available 100,000 vs required 2,997,455": the limit and the measured value with the server's labels.
  limitLabel: string;
  limit: string | null;
  valueLabel: string;
  value: string | null;
  quantity: string;
}

export function readDecision(d: Decision): Verdict {
  const approved = d.verdict === 'APPROVED';
  return {
    approved,
    reason: d.reason,
    check: d.check,
    message: d.message,
    limitLabel: d.limit_label || 'limit',
    limit: approved ? null : (d.limit ?? null),
    valueLabel: d.value_label || 'value',
    value: approved ? null : (d.value ?? null),
    quantity: d.quantity,
  };
}

// The decision carried by a 422 RISK_DENIED body, or null for any other error body.
export function denialFromError(code: string, body: unknown): Verdict | null {
  if (code !== 'RISK_DENIED' || typeof body !== 'object' || body === null) return null;
  const d = (body as { decision?: Decision }).decision;
  return d && typeof d.verdict === 'string' ? readDecision(d) : null;
}

// The checks worth a line in the preview: every one that ran (DISABLED checks are collapsed into a count).
export function ranChecks(e: Evaluation): { shown: RiskCheck[]; disabled: number } {
  const shown = e.checks.filter((c) => c.status !== 'DISABLED');
  return { shown, disabled: e.checks.length - shown.length };
}

// Two tickets ask the same question of the risk engine (a preview stays valid until the order changes).
export function sameOrder(a: TicketState, b: TicketState): boolean {
  return JSON.stringify(orderBody(a)) === JSON.stringify(orderBody(b));
}

// The unit of a check's limit and value (docs/risk/engine.md "The checks", unit column): settlement
// currency, the instrument's price or base quantity, a count, basis points, a fraction or a multiple.
const checkUnits: Record<string, 'settlement' | 'price' | 'quantity' | 'count' | 'bps' | 'fraction' | 'ratio'> = {
  ORDER_SHAPE: 'price',
  PRICE_TICK: 'price',
  QUANTITY_STEP: 'quantity',
  MIN_QUANTITY: 'quantity',
  MIN_NOTIONAL: 'settlement',
  MAX_ORDER_QUANTITY: 'quantity',
  MAX_ORDER_NOTIONAL: 'settlement',
  PRICE_COLLAR: 'bps',
  MAX_POSITION_QUANTITY: 'quantity',
  MAX_POSITION_NOTIONAL: 'settlement',
  MAX_GROSS_EXPOSURE: 'settlement',
  MAX_NET_EXPOSURE: 'settlement',
  MAX_CONCENTRATION: 'fraction',
  MAX_LEVERAGE: 'ratio',
  MARGIN: 'settlement',
  PORTFOLIO_VAR: 'settlement',
  OPEN_ORDERS_PER_INSTRUMENT: 'count',
  OPEN_ORDERS_TOTAL: 'count',
  ORDER_RATE_PER_SECOND: 'count',
  ORDER_RATE_PER_MINUTE: 'count',
  DAILY_LOSS: 'settlement',
  TRADES_PER_DAY: 'count',
  TRADES_PER_HOUR: 'count',
  LOSS_STREAK_COOLDOWN: 'count',
  SIZE_INCREASE_AFTER_LOSS: 'settlement',
};

// The suffix to print after a check's figures ("USDT", "BTC", "bp", "×"; '' for counts and unknown
// checks). MARGIN's LEVERAGE_EXCEEDS_TIER_MAX compares leverages, not money.
export function checkUnit(check: string, symbol: string, reason = '', settlement = 'USDT'): string {
  if (reason === 'LEVERAGE_EXCEEDS_TIER_MAX') return '×';
  switch (checkUnits[check]) {
    case 'settlement':
    case 'price':
      return settlement;
    case 'quantity':
      return symbol.replace(new RegExp(`${settlement}$`), '') || symbol;
    case 'bps':
      return 'bp';
    case 'ratio':
      return '×';
    default:
      return '';
  }
}
