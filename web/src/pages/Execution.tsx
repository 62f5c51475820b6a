// Execution: the execution algorithms on the paper desk (TWAP, VWAP, POV, iceberg) with their progress
// (filled vs the schedule), execution quality (arrival and average price, slippage vs arrival and vs the
// market VWAP, participation, fees), a start form and cancel (trader). Live from {"type":"algo"} messages
// on the "orders" channel, with a slow REST refresh as a fallback.
import { useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, asApiError } from '../api/client';
import { useCan } from '../api/auth';
import { useChannel, useQuery } from '../api/hooks';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Panel } from '../components/Panel';
import { decimal, money, percent, utcTime } from '../lib/format';
import {
  algoBody,
  algoFields,
  algorithms,
  bps,
  emptyAlgo,
  mergeAlgo,
  scheduleGap,
  type AlgoErrors,
  type AlgoForm,
  type AlgoView,
  type Algorithm,
} from '../lib/ExecutionForm';

const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];

export function Execution() {
  const canTrade = useCan('trader');
  const q = useQuery<{ algos: AlgoView[] }>('/api/execution/algos', 5000);
  const [live, setLive] = useState<Record<string, AlgoView>>({});
  const [cancelId, setCancelId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  useChannel('orders', (m) => {
    if (m.type === 'algo' && m.data && typeof m.data === 'object') {
      const v = m.data as AlgoView;
      setLive((prev) => ({ ...prev, [v.id]: v }));
    }
  });

  // REST list with newer live views laid over it.
  const algos = useMemo(() => {
    let list = [...(q.data?.algos ?? [])];
    for (const v of Object.values(live)) {
      const existing = list.find((a) => a.id === v.id);
      if (!existing || (v.updated ?? '') >= (existing.updated ?? '')) list = mergeAlgo(list, v);
    }
    return list.sort((a, b) => (b.start ?? '').localeCompare(a.start ?? ''));
  }, [q.data, live]);

  const cancel = async (id: string) => {
    setBusy(true);
    setActionError(null);
    try {
      await api.del(`/api/execution/algos/${encodeURIComponent(id)}`);
      q.reload();
    } catch (e) {
      setActionError(asApiError(e));
    } finally {
      setBusy(false);
      setCancelId(null);
    }
  };

  const running = algos.filter((a) => a.status === 'RUNNING');
  const past = algos.filter((a) => a.status !== 'RUNNING');

  return (
    <>
      <h1>Execution</h1>
      {canTrade ? <StartAlgo onStarted={q.reload} /> : null}
      <Panel
        title={`Running algorithms (${running.length})`}
        testId="algos-running"
        loading={q.loading && !q.data}
        error={q.data ? null : q.error}
        empty={q.data && running.length === 0 ? 'No algorithm running' : null}
      >
        {actionError ? (
          <div className="form-error" role="alert">
            {actionError.message} <span className="muted">({actionError.code})</span>
          </div>
        ) : null}
        <AlgoTable algos={running} canCancel={canTrade} busy={busy} onCancel={setCancelId} />
      </Panel>
      <Panel title="Finished" testId="algos-finished" loading={q.loading && !q.data} error={q.data ? null : q.error} empty={q.data && past.length === 0 ? 'None yet' : null}>
        <AlgoTable algos={past} canCancel={false} busy={busy} onCancel={setCancelId} />
      </Panel>
      {cancelId ? (
        <ConfirmDialog
          title={`Cancel algorithm ${cancelId}?`}
          confirmLabel="Cancel algorithm"
          danger
          busy={busy}
          onCancel={() => setCancelId(null)}
          onConfirm={() => void cancel(cancelId)}
        >
          Its working child orders are canceled; what has filled stays filled.
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function AlgoTable({ algos, canCancel, busy, onCancel }: { algos: AlgoView[]; canCancel: boolean; busy: boolean; onCancel(id: string): void }) {
  return (
    <table className="execution-table">
      <thead>
        <tr>
          <th>Algo</th>
          <th>Order</th>
          <th>Filled vs schedule</th>
          <th>Status</th>
          <th className="num" title="arrival price, average fill price">Arrival / avg (USDT)</th>
          <th className="num" title="arrival slippage of the filled part; below it, the implementation shortfall of the whole order (the unfilled part at the last close)">Slippage / shortfall</th>
          <th className="num">vs VWAP</th>
          <th className="num" title="share of the market volume">Particip.</th>
          <th className="num">Fees</th>
          {canCancel ? <th /> : null}
        </tr>
      </thead>
      <tbody>
        {algos.map((a) => {
          const gap = scheduleGap(a);
          return (
            <tr key={a.id} data-testid={`algo-${a.id}`}>
              <td>
                <b>{a.algorithm}</b> <span className="muted small">{a.id}</span>
                <div className="muted small">
                  {a.start ? utcTime(a.start).slice(11, 19) : '—'}
                  {a.end ? ` → ${utcTime(a.end).slice(11)}` : ''}
                </div>
              </td>
              <td>
                <span className={a.side === 'BUY' ? 'pos' : 'neg'}>{a.side}</span> {decimal(a.quantity)} {a.symbol}
              </td>
              <td>
                <div className="execution-bars" title={`filled ${decimal(a.filled)}, schedule ${decimal(a.schedule_target)}, working ${decimal(a.working)}`}>
                  <div className="execution-bar-row">
                    <span className="muted small">filled</span>
                    <div className="bar" role="meter" aria-label={`${a.id} filled`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((a.progress ?? 0) * 100)}>
                      <div style={{ width: `${Math.min(100, (a.progress ?? 0) * 100)}%` }} />
                    </div>
                    <span className="num small">{percent(a.progress, 0)}</span>
                  </div>
                  <div className="execution-bar-row">
                    <span className="muted small">plan</span>
                    <div className="bar execution-plan" role="meter" aria-label={`${a.id} schedule`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((a.schedule_progress ?? 0) * 100)}>
                      <div style={{ width: `${Math.min(100, (a.schedule_progress ?? 0) * 100)}%` }} />
                    </div>
                    <span className="num small">{percent(a.schedule_progress, 0)}</span>
                  </div>
                  {gap !== null && a.status === 'RUNNING' ? (
                    <div className={`small ${gap < -0.05 ? 'neg' : 'muted'}`}>{gap < 0 ? `${percent(-gap, 0)} behind` : `${percent(gap, 0)} ahead`}</div>
                  ) : null}
                </div>
              </td>
              <td>
                <span className={`badge ${a.status}`}>{a.status}</span>
                <div className="muted small">{a.children} child orders</div>
                {a.reason ? <div className="muted small execution-reason">{a.reason}</div> : null}
                {a.denials > 0 ? (
                  <div className="neg small" title={a.last_denial?.message}>
                    {a.denials} denied{a.last_denial ? `: ${a.last_denial.code}` : ''}
                  </div>
                ) : null}
              </td>
              <td className="num">
                {decimal(a.quality.arrival_price)}
                <div className="muted small">{decimal(a.quality.average_price)}</div>
              </td>
              <td className="num">
                {bps(a.quality.slippage_bps)}
                <div className="muted small" data-testid={`algo-${a.id}-shortfall`}>{bps(a.quality.shortfall_bps)}</div>
              </td>
              <td className="num">{bps(a.quality.vwap_slippage_bps)}</td>
              <td className="num">{percent(a.quality.participation_rate, 1)}</td>
              <td className="num">{money(a.quality.fees)}</td>
              {canCancel ? (
                <td>
                  <button type="button" className="danger" aria-label={`Cancel ${a.id}`} disabled={busy} onClick={() => onCancel(a.id)}>
                    Cancel
                  </button>
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function StartAlgo({ onStarted }: { onStarted(): void }) {
  const [f, setF] = useState<AlgoForm>(emptyAlgo);
  const [errors, setErrors] = useState<AlgoErrors>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [sending, setSending] = useState(false);
  const fields = algoFields(f.algorithm);
  const set = <K extends keyof AlgoForm>(k: K, v: AlgoForm[K]) => setF((p) => ({ ...p, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const built = algoBody(f);
    if ('errors' in built) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    setSending(true);
    try {
      await api.post('/api/execution/algos', built.body);
      onStarted();
      setF((p) => ({ ...p, quantity: '' }));
    } catch (err) {
      const ae = asApiError(err);
      if (ae.field) setErrors({ [ae.field]: ae.message });
      setError(ae);
    } finally {
      setSending(false);
    }
  };
  const fe = (k: string) => (errors[k] ? <span className="field-error">{errors[k]}</span> : null);

  return (
    <Panel title="Start an algorithm" testId="algo-form">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid">
          <label>
            Algorithm
            <select value={f.algorithm} onChange={(e) => set('algorithm', e.target.value as Algorithm)}>
              {algorithms.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label>
            Symbol
            <select value={f.symbol} onChange={(e) => set('symbol', e.target.value)}>
              {symbols.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            {fe('symbol')}
          </label>
          <label>
            Side
            <select value={f.side} onChange={(e) => set('side', e.target.value as AlgoForm['side'])}>
              <option value="BUY">BUY</option>
              <option value="SELL">SELL</option>
            </select>
            {fe('side')}
          </label>
          <label>
            Quantity
            <input value={f.quantity} inputMode="decimal" placeholder="e.g. 0.5" onChange={(e) => set('quantity', e.target.value)} />
            {fe('quantity')}
          </label>
          <label>
            Duration{fields.durationRequired ? '' : ' (optional)'}
            <input value={f.duration} placeholder="10m" onChange={(e) => set('duration', e.target.value)} />
            {fe('duration')}
          </label>
          {fields.slices ? (
            <label>
              Slices
              <input value={f.slices} inputMode="numeric" onChange={(e) => set('slices', e.target.value)} />
              {fe('slices')}
            </label>
          ) : null}
          {fields.participation ? (
            <label>
              Participation (fraction)
              <input value={f.participation} inputMode="decimal" onChange={(e) => set('participation', e.target.value)} />
              {fe('participation')}
            </label>
          ) : null}
          {fields.display_quantity ? (
            <label>
              Display quantity
              <input value={f.display_quantity} inputMode="decimal" onChange={(e) => set('display_quantity', e.target.value)} />
              {fe('display_quantity')}
            </label>
          ) : null}
          <label>
            Limit price (USDT{fields.limitRequired ? '' : ', optional'})
            <input value={f.limit_price} inputMode="decimal" onChange={(e) => set('limit_price', e.target.value)} />
            {fe('limit_price')}
          </label>
          <label>
            Urgency
            <select value={f.urgency} onChange={(e) => set('urgency', e.target.value as AlgoForm['urgency'])}>
              <option value="PASSIVE">PASSIVE</option>
              <option value="AGGRESSIVE">AGGRESSIVE</option>
            </select>
            {fe('urgency')}
          </label>
          <button type="submit" className="primary" disabled={sending}>
            {sending ? 'Starting…' : 'Start algorithm'}
          </button>
        </div>
        {error ? (
          <div className="form-error" role="alert">
            {error.message} <span className="muted">({error.code})</span>
          </div>
        ) : null}
      </form>
    </Panel>
  );
}
