// The circuit-breaker form: its state, which fields each condition uses, client-side checks that mirror
// docs/risk/configuration.md (the server checks again and its 422 problems are mapped back onto fields),
// and the request body in the configuration's JSON form (POST/PUT /api/risk/circuit-breakers).

export const conditions = [
  'ACCOUNT_DRAWDOWN',
  'POSITION_DRAWDOWN',
  'DAILY_LOSS',
  'VOLATILITY_SPIKE',
  'RAPID_MOVE',
  'LOSS_STREAK',
  'REJECT_RATE',
  'TRADING_HOURS',
] as const;
export type Condition = (typeof conditions)[number];

export const actions = ['ALERT', 'CANCEL_ORDERS', 'CLOSE_POSITION', 'REDUCE_ONLY', 'HALT', 'FLATTEN_ALL'] as const;
export const weekdays = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

export interface Session {
  start: string;
  end: string;
  days: string[];
}

export interface BreakerForm {
  name: string;
  condition: Condition;
  scope: '' | 'ACCOUNT' | 'INSTRUMENT'; // '' = inferred by the server
  instrument: string; // "" = every instrument; "BTCUSDT" or "BTCUSDT.PAPER"
  enabled: boolean;
  threshold: string;
  window: string;
  baseline_window: string;
  min_samples: string;
  sessions: Session[];
  action: string;
  cooldown: string;
  block_trading_during_cooldown: boolean;
  reset: 'AUTOMATIC' | 'MANUAL';
}

export function emptyBreaker(): BreakerForm {
  return {
    name: '',
    condition: 'RAPID_MOVE',
    scope: '',
    instrument: '',
    enabled: true,
    threshold: '',
    window: '5m',
    baseline_window: '1d',
    min_samples: '20',
    sessions: [{ start: '08:00', end: '22:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'] }],
    action: 'ALERT',
    cooldown: '30m',
    block_trading_during_cooldown: false,
    reset: 'AUTOMATIC',
  };
}

// What a condition measures, for the threshold field's label and hint.
export const thresholdHelp: Record<Condition, { unit: string; hint: string }> = {
  ACCOUNT_DRAWDOWN: { unit: 'fraction of peak equity', hint: '0 < x < 1, e.g. 0.10 = 10 %' },
  POSITION_DRAWDOWN: { unit: 'fraction of entry notional', hint: '0 < x < 1, e.g. 0.05 = 5 %' },
  DAILY_LOSS: { unit: 'USDT since 00:00 UTC', hint: '> 0' },
  VOLATILITY_SPIKE: { unit: '× baseline volatility', hint: '> 1, e.g. 3' },
  RAPID_MOVE: { unit: 'fraction of the price at the window start', hint: '0 < x ≤ 1, e.g. 0.03 = 3 %' },
  LOSS_STREAK: { unit: 'consecutive losing trades', hint: 'whole number ≥ 1' },
  REJECT_RATE: { unit: 'rejects / orders over the window', hint: '0 < x ≤ 1' },
  TRADING_HOURS: { unit: 'unused', hint: '' },
};

export interface ConditionFields {
  threshold: boolean;
  window: boolean;
  baseline_window: boolean;
  min_samples: boolean;
  sessions: boolean;
  instrument: boolean; // an instrument can be chosen (scope INSTRUMENT possible)
  accountOnly: boolean;
  instrumentOnly: boolean;
}

export function fieldsFor(condition: Condition): ConditionFields {
  return {
    threshold: condition !== 'TRADING_HOURS',
    window: condition === 'VOLATILITY_SPIKE' || condition === 'RAPID_MOVE' || condition === 'REJECT_RATE',
    baseline_window: condition === 'VOLATILITY_SPIKE',
    min_samples: condition === 'VOLATILITY_SPIKE' || condition === 'REJECT_RATE',
    sessions: condition === 'TRADING_HOURS',
    instrument: condition !== 'ACCOUNT_DRAWDOWN' && condition !== 'DAILY_LOSS',
    accountOnly: condition === 'ACCOUNT_DRAWDOWN' || condition === 'DAILY_LOSS',
    instrumentOnly: condition === 'POSITION_DRAWDOWN' || condition === 'VOLATILITY_SPIKE' || condition === 'RAPID_MOVE',
  };
}

const timeRe = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const decimalRe = /^-?\d+(\.\d+)?$/;

export function durationMs(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h|d|w)$/.exec(text.trim());
  if (text.trim() === '0') return 0;
  if (!m) return null;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };
  return Number(m[1]) * unit[m[2]];
}

// "BTCUSDT" → "BTCUSDT.PAPER" (the paper venue); a full id is kept; "" stays "" (every instrument).
export function instrumentId(text: string, venue = 'PAPER'): string {
  const t = text.trim().toUpperCase();
  if (!t) return '';
  return t.includes('.') ? t : `${t}.${venue}`;
}

export type FieldErrors = Record<string, string>;

// The same rules as the server's (docs/risk/configuration.md), so most mistakes are caught before sending.
export function validateBreaker(f: BreakerForm): FieldErrors {
  const e: FieldErrors = {};
  const fields = fieldsFor(f.condition);
  if (!f.name.trim()) e.name = 'required';
  else if (!/^[\x21-\x7e]{1,128}$/.test(f.name.trim())) e.name = '1–128 printable characters without spaces';
  if (fields.threshold) {
    const t = f.threshold.trim();
    if (!decimalRe.test(t)) e.threshold = 'a number is required';
    else {
      const x = Number(t);
      switch (f.condition) {
        case 'ACCOUNT_DRAWDOWN':
        case 'POSITION_DRAWDOWN':
          if (!(x > 0 && x < 1)) e.threshold = 'must be in (0, 1)';
          break;
        case 'RAPID_MOVE':
        case 'REJECT_RATE':
          if (!(x > 0 && x <= 1)) e.threshold = 'must be in (0, 1]';
          break;
        case 'DAILY_LOSS':
          if (!(x > 0)) e.threshold = 'must be > 0';
          break;
        case 'VOLATILITY_SPIKE':
          if (!(x > 1)) e.threshold = 'must be > 1';
          break;
        case 'LOSS_STREAK':
          if (!(Number.isInteger(x) && x >= 1)) e.threshold = 'a whole number ≥ 1';
          break;
        default:
          break;
      }
    }
  }
  if (fields.window) {
    const ms = durationMs(f.window);
    if (ms === null) e.window = 'a duration such as "1m", "5m", "1h"';
    else if (ms <= 0) e.window = 'must be > 0';
  }
  if (fields.baseline_window) {
    const b = durationMs(f.baseline_window);
    const w = durationMs(f.window);
    if (b === null) e.baseline_window = 'a duration such as "1d"';
    else if (w !== null && b <= w) e.baseline_window = 'must be longer than the window';
  }
  if (fields.min_samples) {
    const n = Number(f.min_samples);
    const min = f.condition === 'VOLATILITY_SPIKE' ? 2 : 1;
    if (!/^\d+$/.test(f.min_samples.trim()) || n < min) e.min_samples = `a whole number ≥ ${min}`;
  }
  if (fields.sessions) {
    if (f.sessions.length === 0) e.sessions = 'at least one session';
    f.sessions.forEach((s, i) => {
      if (!timeRe.test(s.start) || s.start === '24:00') e[`sessions.${i}.start`] = 'HH:MM, 00:00–23:59';
      if (!timeRe.test(s.end)) e[`sessions.${i}.end`] = 'HH:MM, 00:00–24:00';
      if (s.start === s.end) e[`sessions.${i}.end`] = 'must differ from the start (00:00–24:00 for a whole day)';
      if (s.days.length === 0) e[`sessions.${i}.days`] = 'at least one day';
    });
  }
  if (fields.accountOnly && f.scope === 'INSTRUMENT') e.scope = `${f.condition} needs scope ACCOUNT`;
  if (fields.instrumentOnly && f.scope === 'ACCOUNT') e.scope = `${f.condition} needs scope INSTRUMENT`;
  if (f.instrument.trim() && f.scope === 'ACCOUNT') e.instrument = 'only with scope INSTRUMENT';
  if (durationMs(f.cooldown) === null) e.cooldown = 'a duration ≥ 0 such as "30m" or "0s"';
  return e;
}

// The request body: only the keys the condition uses (the server keeps its defaults for the rest).
export function breakerBody(f: BreakerForm): Record<string, unknown> {
  const fields = fieldsFor(f.condition);
  const body: Record<string, unknown> = {
    name: f.name.trim(),
    condition: f.condition,
    enabled: f.enabled,
    action: f.action,
    cooldown: f.cooldown.trim(),
    block_trading_during_cooldown: f.block_trading_during_cooldown,
    reset: f.reset,
  };
  if (f.scope) body.scope = f.scope;
  if (fields.instrument && f.instrument.trim() && f.scope !== 'ACCOUNT') body.instrument = instrumentId(f.instrument);
  if (fields.threshold) body.threshold = f.threshold.trim();
  if (fields.window) body.window = f.window.trim();
  if (fields.baseline_window) body.baseline_window = f.baseline_window.trim();
  if (fields.min_samples) body.min_samples = Number(f.min_samples);
  if (fields.sessions) body.sessions = f.sessions.map((s) => ({ start: s.start, end: s.end, days: [...s.days] }));
  return body;
}

// The form for an existing breaker from its "config" (the configuration's JSON form, every key present).
export function formFromConfig(c: Record<string, unknown>): BreakerForm {
  const f = emptyBreaker();
  const str = (v: unknown, d: string) => (v === null || v === undefined ? d : String(v));
  f.name = str(c.name, '');
  if (conditions.includes(c.condition as Condition)) f.condition = c.condition as Condition;
  f.scope = c.scope === 'ACCOUNT' || c.scope === 'INSTRUMENT' ? c.scope : '';
  f.instrument = str(c.instrument, '');
  f.enabled = c.enabled !== false;
  f.threshold = str(c.threshold, '');
  f.window = str(c.window, f.window);
  f.baseline_window = str(c.baseline_window, f.baseline_window);
  f.min_samples = str(c.min_samples, f.min_samples);
  if (Array.isArray(c.sessions) && c.sessions.length > 0) {
    f.sessions = (c.sessions as Partial<Session>[]).map((s) => ({
      start: s.start ?? '00:00',
      end: s.end ?? '24:00',
      days: Array.isArray(s.days) ? [...s.days] : [...weekdays],
    }));
  }
  f.action = str(c.action, 'ALERT');
  f.cooldown = str(c.cooldown, '30m');
  f.block_trading_during_cooldown = c.block_trading_during_cooldown === true;
  f.reset = c.reset === 'MANUAL' ? 'MANUAL' : 'AUTOMATIC';
  return f;
}

// The server's 422 problems ("threshold: must be in (0, 1], got 2", "sessions/0/start: …", or with a
// leading "/") onto form fields ("threshold", "sessions.0.start"); what names no known field goes to "_".
export function problemsToFields(problems: string[], field?: string | null): FieldErrors {
  const known = new Set(Object.keys(emptyBreaker()));
  const out: FieldErrors = {};
  const add = (k: string, m: string) => {
    out[k] = out[k] ? `${out[k]}; ${m}` : m;
  };
  for (const p of problems) {
    const m = /^\s*\/?([A-Za-z_]+)((?:[/.]\w+)*)\s*:\s*(.*)$/.exec(p);
    if (m && known.has(m[1])) {
      const rest = m[2].replace(/\//g, '.');
      add(`${m[1]}${rest}`, m[3]);
    } else if (field && known.has(field)) {
      add(field, p);
    } else {
      add('_', p);
    }
  }
  return out;
}

// A measured value or threshold in the condition's unit: fractions as percentages, losses in USDT,
// volatility as a multiple, streaks as counts.
export function breakerFigure(condition: string, v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  switch (condition) {
    case 'ACCOUNT_DRAWDOWN':
    case 'POSITION_DRAWDOWN':
    case 'RAPID_MOVE':
    case 'REJECT_RATE':
      return `${(n * 100).toFixed(2)} %`;
    case 'DAILY_LOSS':
      return `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USDT`;
    case 'VOLATILITY_SPIKE':
      return `${n.toFixed(2)}×`;
    case 'LOSS_STREAK':
      return `${Math.round(n)} trades`;
    case 'TRADING_HOURS':
      return '—';
    default:
      return String(v);
  }
}
