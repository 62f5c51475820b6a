// The global risk configuration editor's logic (docs/risk/configuration.md): the main limits as form
// fields (switch + value), the rest of the document as JSON, the PUT body that joins them, and the server's
// 422 problems ("body: /limits/max_order_notional/value: must be > 0 …") mapped onto the fields.

export type LimitKind = 'money' | 'quantity' | 'bps' | 'fraction' | 'count' | 'multiple';

export interface LimitSpec {
  section: 'limits' | 'account';
  key: string;
  label: string;
  kind: LimitKind;
}

export const unitOf: Record<LimitKind, string> = {
  money: 'USDT',
  quantity: 'qty',
  bps: 'bp',
  fraction: 'fraction',
  count: 'count',
  multiple: '×',
};

export const limitSpecs: LimitSpec[] = [
  { section: 'limits', key: 'max_order_quantity', label: 'Max order quantity', kind: 'quantity' },
  { section: 'limits', key: 'max_order_notional', label: 'Max order notional', kind: 'money' },
  { section: 'limits', key: 'price_collar_bps', label: 'Price collar', kind: 'bps' },
  { section: 'limits', key: 'max_position_quantity', label: 'Max position quantity', kind: 'quantity' },
  { section: 'limits', key: 'max_position_notional', label: 'Max position notional', kind: 'money' },
  { section: 'limits', key: 'max_concentration', label: 'Max concentration', kind: 'fraction' },
  { section: 'limits', key: 'max_open_orders', label: 'Max open orders', kind: 'count' },
  { section: 'account', key: 'max_gross_exposure', label: 'Max gross exposure', kind: 'money' },
  { section: 'account', key: 'max_net_exposure', label: 'Max net exposure', kind: 'money' },
  { section: 'account', key: 'max_leverage', label: 'Max leverage', kind: 'multiple' },
  { section: 'account', key: 'max_open_orders_total', label: 'Max open orders (account)', kind: 'count' },
  { section: 'account', key: 'max_orders_per_second', label: 'Max orders per second', kind: 'count' },
  { section: 'account', key: 'max_orders_per_minute', label: 'Max orders per minute', kind: 'count' },
  { section: 'account', key: 'daily_loss_limit', label: 'Daily loss limit', kind: 'money' },
  { section: 'account', key: 'max_trades_per_day', label: 'Max trades per day', kind: 'count' },
  { section: 'account', key: 'max_trades_per_hour', label: 'Max trades per hour', kind: 'count' },
];

export interface LimitValue {
  enabled: boolean;
  value: string;
}

// The three written forms of a limit: false, a value, or {enabled, value}.
export function readLimit(raw: unknown): LimitValue {
  if (raw === false || raw === null || raw === undefined) return { enabled: false, value: '' };
  if (typeof raw === 'number' || typeof raw === 'string') return { enabled: true, value: String(raw) };
  if (typeof raw === 'object') {
    const o = raw as { enabled?: boolean; value?: unknown };
    return { enabled: o.enabled !== false, value: o.value === undefined || o.value === null ? '' : String(o.value) };
  }
  return { enabled: false, value: '' };
}

// The shortest form that keeps what the user entered; counts as JSON integers (2.0 is refused), other
// values as decimal strings (exact).
export function writeLimit(l: LimitValue, kind: LimitKind): unknown {
  const v = l.value.trim();
  const value: unknown = v === '' ? null : kind === 'count' && /^\d+$/.test(v) ? Number(v) : v;
  if (l.enabled) return value === null ? true : value; // `true` alone: the server names the missing value
  return value === null ? false : { enabled: false, value };
}

export type FieldKey = string; // "limits.max_order_notional", "warning_utilisation", "portfolio_var.max_var"

export interface ConfigForm {
  limits: Record<FieldKey, LimitValue>; // by "section.key"
  warning_utilisation: string;
  margin_call_ratio: string;
  reduce_quantity_to_fit: boolean;
  check_margin: boolean;
  var_enabled: boolean;
  var_max: string;
  var_confidence: string;
  var_horizon_days: string;
  rest: string; // every other key, as JSON text
}

const formKeys = new Set(['limits', 'account', 'warning_utilisation', 'margin_call_ratio', 'reduce_quantity_to_fit', 'check_margin', 'portfolio_var']);

export function formFromRisk(risk: Record<string, unknown>): ConfigForm {
  const limits: Record<FieldKey, LimitValue> = {};
  for (const s of limitSpecs) {
    const section = (risk[s.section] ?? {}) as Record<string, unknown>;
    limits[`${s.section}.${s.key}`] = readLimit(section[s.key]);
  }
  const pv = (risk.portfolio_var ?? {}) as Record<string, unknown>;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(risk)) if (!formKeys.has(k)) rest[k] = v;
  // Keys of the form's sections that the form has no field for stay in the document.
  for (const section of ['limits', 'account'] as const) {
    const extra = Object.entries((risk[section] ?? {}) as Record<string, unknown>).filter(
      ([k]) => !limitSpecs.some((s) => s.section === section && s.key === k),
    );
    if (extra.length > 0) rest[section] = Object.fromEntries(extra);
  }
  return {
    limits,
    warning_utilisation: String(risk.warning_utilisation ?? '0.8'),
    margin_call_ratio: String(risk.margin_call_ratio ?? '0.8'),
    reduce_quantity_to_fit: risk.reduce_quantity_to_fit === true,
    check_margin: risk.check_margin !== false,
    var_enabled: pv.enabled === true,
    var_max: String(pv.max_var ?? '0'),
    var_confidence: String(pv.confidence ?? '0.99'),
    var_horizon_days: String(pv.horizon_days ?? '1'),
    rest: JSON.stringify(rest, null, 2),
  };
}

const numberText = (t: string): unknown => {
  const v = t.trim();
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v) ? Number(v) : v;
};

// The PUT body, or the JSON view's syntax error.
export function riskFromForm(f: ConfigForm): { body: Record<string, unknown> } | { jsonError: string } {
  let rest: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(f.rest || '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { jsonError: 'must be a JSON object' };
    rest = parsed as Record<string, unknown>;
  } catch (e) {
    return { jsonError: (e as Error).message };
  }
  const limits: Record<string, unknown> = { ...((rest.limits as Record<string, unknown>) ?? {}) };
  const account: Record<string, unknown> = { ...((rest.account as Record<string, unknown>) ?? {}) };
  for (const s of limitSpecs) {
    const written = writeLimit(f.limits[`${s.section}.${s.key}`] ?? { enabled: false, value: '' }, s.kind);
    if (s.section === 'limits') limits[s.key] = written;
    else account[s.key] = written;
  }
  const body: Record<string, unknown> = {
    ...rest,
    reduce_quantity_to_fit: f.reduce_quantity_to_fit,
    check_margin: f.check_margin,
    warning_utilisation: f.warning_utilisation.trim(),
    margin_call_ratio: f.margin_call_ratio.trim(),
    limits,
    account,
    portfolio_var: {
      ...((rest.portfolio_var as Record<string, unknown>) ?? {}),
      enabled: f.var_enabled,
      max_var: f.var_max.trim(),
      confidence: numberText(f.var_confidence),
      horizon_days: numberText(f.var_horizon_days),
    },
  };
  return { body };
}

export interface Problem {
  path: string; // "limits.max_order_notional.value"
  field: FieldKey | null; // the form field it belongs to, null → the JSON view
  message: string;
}

const formFieldOf = (path: string): FieldKey | null => {
  const parts = path.split('.');
  if ((parts[0] === 'limits' || parts[0] === 'account') && parts[1]) {
    const key = `${parts[0]}.${parts[1]}`;
    return limitSpecs.some((s) => `${s.section}.${s.key}` === key) ? key : null;
  }
  if (['warning_utilisation', 'margin_call_ratio', 'reduce_quantity_to_fit', 'check_margin'].includes(parts[0])) return parts[0];
  if (parts[0] === 'portfolio_var' && parts[1]) {
    const m: Record<string, string> = { enabled: 'var_enabled', max_var: 'var_max', confidence: 'var_confidence', horizon_days: 'var_horizon_days' };
    return m[parts[1]] ?? null;
  }
  return null;
};

// Lines of a 422 message: "N problems:\n  body: /limits/x/value: msg" or a single "body: /x: msg".
export function parseProblems(message: string): Problem[] {
  const out: Problem[] = [];
  for (const raw of message.split('\n')) {
    const line = raw.trim();
    if (!line || /^\d+ problems:?$/.test(line)) continue;
    const m = /^(?:[^:/]*:\s*)?\/([^:\s]+):\s*(.*)$/.exec(line);
    if (m) {
      const path = m[1].split('/').join('.');
      out.push({ path, field: formFieldOf(path), message: m[2] });
    } else {
      const t = /^(?:[^:/]*:\s*)?([a-z_]+(?:\.[a-z_0-9]+)*):\s*(.*)$/.exec(line);
      if (t && t[1].includes('.')) out.push({ path: t[1], field: formFieldOf(t[1]), message: t[2] });
      else out.push({ path: '', field: null, message: line });
    }
  }
  return out;
}
