// The order ticket: fill in the order, Preview asks the risk engine (POST /api/risk/evaluate: the verdict and
// every check with its limit and value), Send submits it (POST /api/orders, traders). A denial — from the
// preview or the 422 RISK_DENIED of the submission — shows the typed reason with the limit and the value.
import { useState } from 'react';
import { useCan } from '../api/auth';
import { api, ApiError, asApiError } from '../api/client';
import { decimal } from '../lib/format';
import {
  checkUnit,
  denialFromError,
  emptyTicket,
  orderBody,
  orderTypes,
  postOnlyAllowed,
  priceRule,
  ranChecks,
  readDecision,
  sameOrder,
  timesInForce,
  triggerRule,
  validateTicket,
  type Side,
  type TicketState,
  type Verdict,
} from '../lib/OrderTicket';
import type { Evaluation, Order, RiskCheck } from '../lib/TradingTypes';
import { Panel } from './Panel';

type Outcome =
  | { kind: 'preview'; ticket: TicketState; evaluation: Evaluation; verdict: Verdict }
  | { kind: 'denied'; verdict: Verdict; symbol: string }
  | { kind: 'sent'; order: Order }
  | { kind: 'error'; error: ApiError };

export function OrderTicketForm({ symbols }: { symbols: string[] }) {
  const canTrade = useCan('trader');
  const [t, setT] = useState<TicketState>(emptyTicket);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState<'preview' | 'send' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [showDisabled, setShowDisabled] = useState(false);

  const errors = validateTicket(t);
  const valid = Object.keys(errors).length === 0;
  const set = <K extends keyof TicketState>(key: K, value: TicketState[K]) => setT((x) => ({ ...x, [key]: value }));
  const previewCurrent = outcome?.kind === 'preview' && sameOrder(outcome.ticket, t);
  const fieldError = (name: keyof typeof errors) =>
    touched && errors[name] ? <span className="field-error">{errors[name]}</span> : null;
  const serverFieldError = (name: string) =>
    outcome?.kind === 'error' && outcome.error.field?.replace(/^order\./, '') === name ? <span className="field-error">{outcome.error.message}</span> : null;

  const run = async (what: 'preview' | 'send') => {
    setTouched(true);
    if (!valid) return;
    setBusy(what);
    const body = orderBody(t);
    try {
      if (what === 'preview') {
        const evaluation = await api.post<Evaluation>('/api/risk/evaluate', body);
        setOutcome({ kind: 'preview', ticket: t, evaluation, verdict: readDecision(evaluation.decision) });
      } else {
        const order = await api.post<Order>('/api/orders', body);
        setOutcome({ kind: 'sent', order });
      }
    } catch (e) {
      const error = asApiError(e);
      const verdict = denialFromError(error.code, error.body);
      setOutcome(verdict ? { kind: 'denied', verdict, symbol: body.symbol } : { kind: 'error', error });
    } finally {
      setBusy(null);
    }
  };

  const pr = priceRule(t.type);
  const tr = triggerRule(t.type);
  return (
    <Panel title="Order ticket" testId="order-ticket">
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void run('preview');
        }}
        aria-label="Order ticket"
      >
        <label>
          Instrument
          <select value={t.symbol} onChange={(e) => set('symbol', e.target.value)} aria-label="Instrument" data-testid="ticket-symbol">
            {(symbols.includes(t.symbol) ? symbols : [t.symbol, ...symbols]).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          {fieldError('symbol')}
          {serverFieldError('symbol')}
        </label>
        <div className="trading-sides" role="group" aria-label="Side">
          {(['BUY', 'SELL'] as Side[]).map((s) => (
            <button
              key={s}
              type="button"
              className={t.side === s ? `trading-side-on ${s}` : ''}
              aria-pressed={t.side === s}
              onClick={() => set('side', s)}
              data-testid={`ticket-side-${s}`}
            >
              {s === 'BUY' ? 'Buy' : 'Sell'}
            </button>
          ))}
        </div>
        <label>
          Type
          <select value={t.type} onChange={(e) => set('type', e.target.value as TicketState['type'])} aria-label="Type" data-testid="ticket-type">
            {orderTypes.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <label>
          Quantity
          <input inputMode="decimal" value={t.quantity} onChange={(e) => set('quantity', e.target.value)} aria-label="Quantity" placeholder="0.01" data-testid="ticket-quantity" />
          {fieldError('quantity')}
          {serverFieldError('quantity')}
        </label>
        <label>
          Price (USDT){pr === 'optional' ? ' — optional' : ''}
          <input
            inputMode="decimal"
            value={pr === 'absent' ? '' : t.price}
            disabled={pr === 'absent'}
            onChange={(e) => set('price', e.target.value)}
            aria-label="Price"
            placeholder={pr === 'absent' ? 'market' : ''}
            data-testid="ticket-price"
          />
          {fieldError('price')}
          {serverFieldError('price')}
        </label>
        <label>
          Trigger price (USDT)
          <input
            inputMode="decimal"
            value={tr === 'absent' ? '' : t.triggerPrice}
            disabled={tr === 'absent'}
            onChange={(e) => set('triggerPrice', e.target.value)}
            aria-label="Trigger price"
            data-testid="ticket-trigger"
          />
          {fieldError('trigger_price')}
          {serverFieldError('trigger_price')}
        </label>
        <label>
          Time in force
          <select value={t.timeInForce} onChange={(e) => set('timeInForce', e.target.value as TicketState['timeInForce'])} aria-label="Time in force">
            {timesInForce.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <div className="trading-flags">
          <label className="trading-check">
            <input type="checkbox" checked={t.reduceOnly} onChange={(e) => set('reduceOnly', e.target.checked)} /> Reduce-only
          </label>
          <label className="trading-check">
            <input type="checkbox" checked={t.postOnly} disabled={!postOnlyAllowed(t) && !t.postOnly} onChange={(e) => set('postOnly', e.target.checked)} /> Post-only
          </label>
          {fieldError('post_only')}
        </div>
        <div className="row trading-ticket-actions">
          <button type="submit" disabled={busy !== null} data-testid="ticket-preview">
            {busy === 'preview' ? 'Checking…' : 'Preview risk check'}
          </button>
          {canTrade ? (
            <button
              type="button"
              className={t.side === 'BUY' ? 'primary' : 'danger'}
              disabled={busy !== null || !previewCurrent}
              title={previewCurrent ? undefined : 'Preview the order first'}
              onClick={() => void run('send')}
              data-testid="ticket-send"
            >
              {busy === 'send' ? 'Sending…' : `Send ${t.side === 'BUY' ? 'buy' : 'sell'} order`}
            </button>
          ) : (
            <span className="muted small">Viewers can preview; trading needs the trader role.</span>
          )}
        </div>
      </form>
      {outcome ? <TicketOutcome outcome={outcome} stale={outcome.kind === 'preview' && !previewCurrent} showDisabled={showDisabled} onToggleDisabled={() => setShowDisabled((x) => !x)} /> : null}
    </Panel>
  );
}

export function OrderDenial({ verdict, symbol }: { verdict: Verdict; symbol: string }) {
  const unit = checkUnit(verdict.check, symbol, verdict.reason);
  const withUnit = (v: string | null) => (v === null ? '—' : `${decimal(v)}${unit ? ` ${unit}` : ''}`);
  return (
    <div className="trading-denial" role="alert" data-testid="order-denial">
      <div>
        <span className="badge DENIED">DENIED</span> <strong data-testid="order-denial-reason">{verdict.reason}</strong>{' '}
        <span className="muted">by the {verdict.check} check</span>
      </div>
      <div className="trading-denial-figures">
        <span>
          {verdict.limitLabel}: <strong data-testid="order-denial-limit">{withUnit(verdict.limit)}</strong>
        </span>
        <span>
          {verdict.valueLabel}: <strong data-testid="order-denial-value">{withUnit(verdict.value)}</strong>
        </span>
      </div>
      <div className="muted small">{verdict.message}</div>
    </div>
  );
}

function TicketOutcome({ outcome, stale, showDisabled, onToggleDisabled }: { outcome: Outcome; stale: boolean; showDisabled: boolean; onToggleDisabled(): void }) {
  if (outcome.kind === 'denied') return <OrderDenial verdict={outcome.verdict} symbol={outcome.symbol} />;
  if (outcome.kind === 'error')
    return (
      <div className="form-error" role="alert" data-testid="order-error">
        {outcome.error.message} <span className="muted">({outcome.error.code})</span>
      </div>
    );
  if (outcome.kind === 'sent')
    return (
      <div className="trading-note" role="status" data-testid="order-sent">
        Order <strong>{outcome.order.id}</strong> {outcome.order.status}: {outcome.order.side} {decimal(outcome.order.quantity)} {outcome.order.symbol}{' '}
        {outcome.order.type}
        {outcome.order.price ? ` at ${decimal(outcome.order.price)} USDT` : ''}.
      </div>
    );
  const { verdict, evaluation } = outcome;
  const symbol = outcome.ticket.symbol;
  // The API sends "0" / "0" for checks that passed without reporting their measures: shown as unknown.
  const figure = (c: RiskCheck, v: string) =>
    c.status === 'DISABLED' || (c.status === 'PASSED' && c.limit === '0' && c.value === '0') ? '—' : `${decimal(v)} ${checkUnit(c.check, symbol, c.reason)}`.trim();
  const { shown, disabled } = ranChecks(evaluation);
  const rows = showDisabled ? evaluation.checks : shown;
  return (
    <div className={`trading-preview ${stale ? 'stale' : ''}`} data-testid="order-preview">
      {stale ? <div className="muted small">The order changed since this preview: preview again before sending.</div> : null}
      {verdict.approved ? (
        <div>
          <span className="badge ACTIVE" data-testid="preview-verdict">
            APPROVED
          </span>{' '}
          quantity {decimal(verdict.quantity)}
        </div>
      ) : (
        <OrderDenial verdict={verdict} symbol={outcome.ticket.symbol} />
      )}
      <table className="trading-checks">
        <thead>
          <tr>
            <th>Check</th>
            <th>Status</th>
            <th>Reason</th>
            <th className="num">Limit</th>
            <th className="num">Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.check} className={c.status === 'DISABLED' ? 'muted' : ''}>
              <td>{c.check}</td>
              <td>
                <span className={`badge ${c.status === 'PASSED' ? 'ACTIVE' : c.status === 'DENIED' ? 'DENIED' : ''}`}>{c.status}</span>
              </td>
              <td>{c.reason === 'NONE' ? '—' : c.reason}</td>
              <td className="num">{figure(c, c.limit)}</td>
              <td className="num">{figure(c, c.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {disabled > 0 ? (
        <button type="button" className="trading-link" onClick={onToggleDisabled}>
          {showDisabled ? 'Hide' : 'Show'} {disabled} disabled check{disabled === 1 ? '' : 's'}
        </button>
      ) : null}
    </div>
  );
}
