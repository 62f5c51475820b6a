// Circuit breakers: the list with live state, a create/edit form (admin; the fields follow the condition,
// the server's 422 problems land on their fields), enable/disable/reset/delete (admin), and the event
// history — what tripped, measured value vs threshold, the action and its result — live from the
// "circuit_breakers" channel.
import { useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, asApiError } from '../api/client';
import { useCan } from '../api/auth';
import { useChannel, useQuery } from '../api/hooks';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Panel } from '../components/Panel';
import { utcTime } from '../lib/format';
import {
  actions,
  breakerBody,
  breakerFigure,
  conditions,
  emptyBreaker,
  fieldsFor,
  formFromConfig,
  problemsToFields,
  thresholdHelp,
  validateBreaker,
  weekdays,
  type BreakerForm,
  type Condition,
  type FieldErrors,
} from '../lib/BreakerForm';

export interface BreakerItem {
  name: string;
  instrument_id: string | null;
  state: string;
  last_value: string | null;
  trip_value: string | null;
  tripped_at: string | null;
  cooldown_until: string | null;
  trips: number;
  condition: string;
  threshold: string;
  action: string;
  enabled: boolean;
  config?: Record<string, unknown>;
}

export interface BreakerEvent {
  kind: string;
  breaker: string;
  condition: string;
  instrument_id?: string | null;
  value: string | number | null;
  threshold: string | number | null;
  action: string;
  state?: string;
  trading_state?: string;
  reset_by?: string;
  reason?: string;
  ts: string;
  result?: { ok: boolean; error: string; orders_affected: number; positions_affected: number };
  message?: string;
}

interface Group {
  name: string;
  first: BreakerItem;
  instances: BreakerItem[];
}

const stateRank: Record<string, number> = { TRIPPED: 3, COOLING_DOWN: 2, ARMED: 1 };
const fallbackInstruments = ['BTCUSDT.PAPER', 'ETHUSDT.PAPER', 'SOLUSDT.PAPER'];

function groupBreakers(items: BreakerItem[]): Group[] {
  const groups: Group[] = [];
  for (const b of items) {
    const g = groups.find((x) => x.name === b.name);
    if (g) g.instances.push(b);
    else groups.push({ name: b.name, first: b, instances: [b] });
  }
  return groups;
}

function worstState(g: Group): string {
  return g.instances.reduce((w, b) => ((stateRank[b.state] ?? 0) > (stateRank[w] ?? 0) ? b.state : w), g.first.state);
}

export function Breakers() {
  const isAdmin = useCan('admin');
  const list = useQuery<{ breakers: BreakerItem[] }>('/api/risk/circuit-breakers', 5000);
  const events = useQuery<{ events: BreakerEvent[] }>('/api/risk/circuit-breakers/events?limit=200');
  const [liveEvents, setLiveEvents] = useState<BreakerEvent[]>([]);
  const [editing, setEditing] = useState<{ mode: 'create' | 'edit'; form: BreakerForm } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  useChannel('circuit_breakers', (m) => {
    if (m.type === 'event' && m.data) {
      setLiveEvents((prev) => [m.data as BreakerEvent, ...prev].slice(0, 200));
      list.reload();
    } else if (m.type === 'snapshot') {
      list.reload();
    }
  });

  const groups = useMemo(() => groupBreakers(list.data?.breakers ?? []), [list.data]);
  const instruments = useMemo(() => {
    const ids = new Set(fallbackInstruments);
    for (const b of list.data?.breakers ?? []) if (b.instrument_id) ids.add(b.instrument_id);
    return [...ids].sort();
  }, [list.data]);

  const run = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setActionError(null);
    try {
      await what();
      list.reload();
    } catch (e) {
      setActionError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const path = (name: string) => `/api/risk/circuit-breakers/${encodeURIComponent(name)}`;

  // Live events first, then stored ones not already shown (the stored list also holds the live ones
  // once the page reloads).
  const allEvents = useMemo(() => {
    const seen = new Set<string>();
    const out: BreakerEvent[] = [];
    for (const e of [...liveEvents, ...(events.data?.events ?? [])]) {
      const key = `${e.ts}|${e.breaker}|${e.kind}|${e.instrument_id ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(e);
    }
    return out;
  }, [liveEvents, events.data]);

  return (
    <>
      <h1>Circuit breakers</h1>
      <Panel
        title="Breakers"
        testId="breakers-list"
        loading={list.loading && !list.data}
        error={list.data ? null : list.error}
        empty={list.data && groups.length === 0 ? 'No circuit breakers configured' : null}
        actions={
          isAdmin ? (
            <button type="button" className="primary" onClick={() => setEditing({ mode: 'create', form: emptyBreaker() })}>
              New breaker
            </button>
          ) : null
        }
      >
        {actionError ? (
          <div className="form-error" role="alert">
            {actionError.message} <span className="muted">({actionError.code})</span>
          </div>
        ) : null}
        <table>
          <thead>
            <tr>
              <th>Name / condition</th>
              <th>Scope</th>
              <th className="num">Threshold</th>
              <th>Action</th>
              <th>State</th>
              <th className="num">Last value</th>
              <th className="num">Trips</th>
              {isAdmin ? <th>Manage</th> : null}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => {
              const state = g.first.enabled ? worstState(g) : 'DISABLED';
              const canReset = g.instances.some((b) => b.state === 'TRIPPED' || b.state === 'COOLING_DOWN');
              return (
                <tr key={g.name} data-testid={`breaker-${g.name}`} className={g.first.enabled ? '' : 'breaker-disabled'}>
                  <td>
                    {g.name}
                    <div className="muted small">{g.first.condition}</div>
                  </td>
                  <td className="small">
                    {g.instances.length > 1
                      ? `every instrument (${g.instances.length})`
                      : g.first.instrument_id ?? (g.first.config?.scope === 'INSTRUMENT' ? 'every instrument' : 'account')}
                  </td>
                  <td className="num">{breakerFigure(g.first.condition, g.first.threshold)}</td>
                  <td className="small">{g.first.action}</td>
                  <td>
                    <span className={`badge ${state}`} data-testid={`breaker-state-${g.name}`}>
                      {state}
                    </span>
                    {g.instances.length > 1 && g.instances.some((b) => b.state !== g.first.state) ? (
                      <div className="breaker-instances">
                        {g.instances
                          .filter((b) => b.state !== 'ARMED')
                          .map((b) => (
                            <span key={b.instrument_id ?? ''} className="small">
                              {(b.instrument_id ?? '').split('.')[0]} <span className={b.state === 'TRIPPED' ? 'neg' : 'muted'}>{b.state}</span>
                            </span>
                          ))}
                      </div>
                    ) : null}
                    {g.first.cooldown_until ? (
                      <div className="muted small" title={utcTime(g.first.cooldown_until)}>
                        cool-down until {utcTime(g.first.cooldown_until).slice(11)}
                      </div>
                    ) : null}
                  </td>
                  <td className="num">
                    {g.instances.length > 1
                      ? breakerFigure(
                          g.first.condition,
                          g.instances.reduce<number | null>((m, b) => {
                            const v = b.last_value === null ? null : Number(b.last_value);
                            return v === null ? m : m === null ? v : Math.max(m, v);
                          }, null),
                        )
                      : breakerFigure(g.first.condition, g.first.last_value)}
                  </td>
                  <td className="num">{g.instances.reduce((n, b) => n + b.trips, 0)}</td>
                  {isAdmin ? (
                    <td>
                      <div className="row breaker-actions">
                        <button
                          type="button"
                          aria-label={`Edit ${g.name}`}
                          disabled={busy || !g.first.config}
                          onClick={() => g.first.config && setEditing({ mode: 'edit', form: formFromConfig(g.first.config) })}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          aria-label={`${g.first.enabled ? 'Disable' : 'Enable'} ${g.name}`}
                          disabled={busy}
                          onClick={() => void run(() => api.post(`${path(g.name)}/${g.first.enabled ? 'disable' : 'enable'}`))}
                        >
                          {g.first.enabled ? 'Disable' : 'Enable'}
                        </button>
                        {canReset ? (
                          <button
                            type="button"
                            aria-label={`Reset ${g.name}`}
                            disabled={busy}
                            onClick={() => void run(() => api.post(`${path(g.name)}/reset`, { reason: 'reset from the dashboard' }))}
                          >
                            Reset
                          </button>
                        ) : null}
                        <button type="button" className="danger" aria-label={`Delete ${g.name}`} disabled={busy} onClick={() => setConfirmDelete(g.name)}>
                          Delete
                        </button>
                      </div>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </Panel>

      {editing && isAdmin ? (
        <BreakerEditor
          key={`${editing.mode}-${editing.form.name}`}
          mode={editing.mode}
          initial={editing.form}
          instruments={instruments}
          onDone={() => {
            setEditing(null);
            list.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      ) : null}

      <Panel
        title="Event history"
        testId="breaker-events"
        loading={events.loading && !events.data && liveEvents.length === 0}
        error={events.data || liveEvents.length > 0 ? null : events.error}
        empty={allEvents.length === 0 ? 'No breaker events yet' : null}
      >
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Breaker</th>
              <th>Event</th>
              <th>Instrument</th>
              <th className="num">Measured</th>
              <th className="num">Threshold</th>
              <th>Action</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {allEvents.map((e, i) => (
              <tr key={`${e.ts}-${e.breaker}-${e.kind}-${i}`} data-testid="breaker-event">
                <td className="small">{utcTime(e.ts)}</td>
                <td>{e.breaker}</td>
                <td>
                  <span className={`badge ${eventBadge(e.kind)}`}>{eventLabel(e.kind)}</span>
                </td>
                <td className="small">{e.instrument_id ?? '—'}</td>
                <td className="num">{breakerFigure(e.condition, e.value)}</td>
                <td className="num">{breakerFigure(e.condition, e.threshold)}</td>
                <td className="small">{e.action}</td>
                <td className="small breaker-result">{resultText(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>

      {confirmDelete ? (
        <ConfirmDialog
          title={`Delete breaker ${confirmDelete}?`}
          confirmLabel="Delete breaker"
          danger
          busy={busy}
          onCancel={() => setConfirmDelete(null)}
          onConfirm={() => {
            const name = confirmDelete;
            void run(() => api.del(path(name))).then(() => setConfirmDelete(null));
          }}
        >
          The breaker is removed from the running monitor and from the active risk configuration.
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function eventLabel(kind: string): string {
  return kind.replace(/^CircuitBreaker/, '').toUpperCase();
}

function eventBadge(kind: string): string {
  const k = eventLabel(kind);
  if (k === 'TRIGGERED') return 'TRIPPED';
  if (k === 'ACTED') return 'WARNING';
  return 'ARMED';
}

function resultText(e: BreakerEvent): string {
  const k = eventLabel(e.kind);
  if (k === 'RESET') return `re-armed${e.reset_by ? ` by ${e.reset_by}` : ''}${e.reason ? `: ${e.reason}` : ''}`;
  if (!e.result) return e.trading_state ? `trading ${e.trading_state}` : e.reason ?? '';
  const parts = [e.result.ok ? 'ok' : `failed: ${e.result.error}`];
  if (e.result.orders_affected) parts.push(`${e.result.orders_affected} order${e.result.orders_affected === 1 ? '' : 's'} canceled`);
  if (e.result.positions_affected) parts.push(`${e.result.positions_affected} position${e.result.positions_affected === 1 ? '' : 's'} closed`);
  if (e.trading_state) parts.push(`trading ${e.trading_state}`);
  return parts.join(', ');
}

interface EditorProps {
  mode: 'create' | 'edit';
  initial: BreakerForm;
  instruments: string[];
  onDone(): void;
  onCancel(): void;
}

function BreakerEditor({ mode, initial, instruments, onDone, onCancel }: EditorProps) {
  const [f, setF] = useState<BreakerForm>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const fields = fieldsFor(f.condition);
  const help = thresholdHelp[f.condition];
  const set = <K extends keyof BreakerForm>(k: K, v: BreakerForm[K]) => setF((prev) => ({ ...prev, [k]: v }));

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const local = validateBreaker(f);
    setErrors(local);
    setSubmitError(null);
    if (Object.keys(local).length > 0) return;
    setSaving(true);
    try {
      const body = breakerBody(f);
      if (mode === 'create') await api.post('/api/risk/circuit-breakers', body);
      else await api.put(`/api/risk/circuit-breakers/${encodeURIComponent(f.name.trim())}`, body);
      onDone();
    } catch (e) {
      const err = asApiError(e);
      const problems = (err.body?.error as { problems?: string[] } | undefined)?.problems;
      const mapped = problemsToFields(problems && problems.length > 0 ? problems : [err.message], err.field);
      const general = mapped._;
      delete mapped._;
      setErrors(mapped);
      setSubmitError(general ?? (Object.keys(mapped).length === 0 ? `${err.message} (${err.code})` : null));
    } finally {
      setSaving(false);
    }
  };

  const err = (k: string) =>
    errors[k] ? (
      <span className="field-error" data-testid={`error-${k}`}>
        {errors[k]}
      </span>
    ) : null;
  const shown = new Set([
    'name',
    'condition',
    'scope',
    'instrument',
    'enabled',
    'threshold',
    'window',
    'baseline_window',
    'min_samples',
    'sessions',
    'action',
    'cooldown',
    'block_trading_during_cooldown',
    'reset',
    ...f.sessions.flatMap((_, i) => [`sessions.${i}.start`, `sessions.${i}.end`, `sessions.${i}.days`]),
  ]);
  const unplaced = Object.entries(errors).filter(([k]) => !shown.has(k));

  return (
    <Panel title={mode === 'create' ? 'New circuit breaker' : `Edit ${initial.name}`} testId="breaker-form">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid breaker-form">
          <label>
            Name
            <input data-testid="bf-name" value={f.name} onChange={(e) => set('name', e.target.value)} disabled={mode === 'edit'} aria-invalid={!!errors.name} />
            {err('name')}
          </label>
          <label>
            Condition
            <select data-testid="bf-condition" value={f.condition} onChange={(e) => set('condition', e.target.value as Condition)}>
              {conditions.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            {err('condition')}
          </label>
          <label>
            Scope
            <select data-testid="bf-scope" value={f.scope} onChange={(e) => set('scope', e.target.value as BreakerForm['scope'])}>
              <option value="">inferred</option>
              {!fields.instrumentOnly ? <option value="ACCOUNT">ACCOUNT</option> : null}
              {!fields.accountOnly ? <option value="INSTRUMENT">INSTRUMENT</option> : null}
            </select>
            {err('scope')}
          </label>
          {fields.instrument ? (
            <label>
              Instrument
              <select data-testid="bf-instrument" value={f.instrument} onChange={(e) => set('instrument', e.target.value)} disabled={f.scope === 'ACCOUNT'}>
                <option value="">{fields.instrumentOnly ? 'every instrument' : 'none (account)'}</option>
                {instruments.map((i) => (
                  <option key={i} value={i}>
                    {i}
                  </option>
                ))}
              </select>
              {err('instrument')}
            </label>
          ) : null}
          {fields.threshold ? (
            <label title={help.hint}>
              Threshold ({help.unit})
              <input data-testid="bf-threshold" value={f.threshold} inputMode="decimal" placeholder={help.hint} onChange={(e) => set('threshold', e.target.value)} aria-invalid={!!errors.threshold} />
              {err('threshold')}
            </label>
          ) : null}
          {fields.window ? (
            <label>
              Window
              <input data-testid="bf-window" value={f.window} placeholder="5m" onChange={(e) => set('window', e.target.value)} aria-invalid={!!errors.window} />
              {err('window')}
            </label>
          ) : null}
          {fields.baseline_window ? (
            <label>
              Baseline window
              <input value={f.baseline_window} placeholder="1d" onChange={(e) => set('baseline_window', e.target.value)} />
              {err('baseline_window')}
            </label>
          ) : null}
          {fields.min_samples ? (
            <label>
              Minimum samples
              <input value={f.min_samples} inputMode="numeric" onChange={(e) => set('min_samples', e.target.value)} />
              {err('min_samples')}
            </label>
          ) : null}
          <label>
            Action
            <select data-testid="bf-action" value={f.action} onChange={(e) => set('action', e.target.value)}>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
            {err('action')}
          </label>
          <label>
            Cool-down
            <input value={f.cooldown} placeholder="30m" onChange={(e) => set('cooldown', e.target.value)} />
            {err('cooldown')}
          </label>
          <label>
            Reset
            <select value={f.reset} onChange={(e) => set('reset', e.target.value as BreakerForm['reset'])}>
              <option value="AUTOMATIC">AUTOMATIC</option>
              <option value="MANUAL">MANUAL</option>
            </select>
            {err('reset')}
          </label>
          <label className="breaker-check">
            <span>
              <input type="checkbox" checked={f.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Enabled
            </span>
            {err('enabled')}
          </label>
          <label className="breaker-check">
            <span>
              <input type="checkbox" checked={f.block_trading_during_cooldown} onChange={(e) => set('block_trading_during_cooldown', e.target.checked)} /> Block
              trading during cool-down
            </span>
            {err('block_trading_during_cooldown')}
          </label>
        </div>
        {fields.sessions ? (
          <fieldset className="breaker-sessions">
            <legend>Trading sessions (UTC)</legend>
            {f.sessions.map((s, i) => (
              <div key={i} className="row">
                <label>
                  Start
                  <input
                    aria-label={`Session ${i + 1} start`}
                    value={s.start}
                    onChange={(e) => set('sessions', f.sessions.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)))}
                  />
                  {err(`sessions.${i}.start`)}
                </label>
                <label>
                  End
                  <input
                    aria-label={`Session ${i + 1} end`}
                    value={s.end}
                    onChange={(e) => set('sessions', f.sessions.map((x, j) => (j === i ? { ...x, end: e.target.value } : x)))}
                  />
                  {err(`sessions.${i}.end`)}
                </label>
                <div className="row breaker-days" role="group" aria-label={`Session ${i + 1} days`}>
                  {weekdays.map((d) => (
                    <label key={d} className="breaker-day">
                      <input
                        type="checkbox"
                        checked={s.days.includes(d)}
                        onChange={(e) =>
                          set(
                            'sessions',
                            f.sessions.map((x, j) =>
                              j === i ? { ...x, days: e.target.checked ? weekdays.filter((w) => x.days.includes(w) || w === d) : x.days.filter((w) => w !== d) } : x,
                            ),
                          )
                        }
                      />
                      {d}
                    </label>
                  ))}
                  {err(`sessions.${i}.days`)}
                </div>
                <button type="button" aria-label={`Remove session ${i + 1}`} onClick={() => set('sessions', f.sessions.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </div>
            ))}
            <button type="button" onClick={() => set('sessions', [...f.sessions, { start: '00:00', end: '24:00', days: [...weekdays] }])}>
              Add session
            </button>
            {err('sessions')}
          </fieldset>
        ) : null}
        {unplaced.length > 0 || submitError ? (
          <div className="form-error" role="alert" data-testid="breaker-form-error">
            {submitError ? <div>{submitError}</div> : null}
            {unplaced.map(([k, m]) => (
              <div key={k}>
                {k}: {m}
              </div>
            ))}
          </div>
        ) : null}
        <div className="row breaker-submit">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : mode === 'create' ? 'Create breaker' : 'Save breaker'}
          </button>
          <button type="button" onClick={onCancel} disabled={saving}>
            Cancel
          </button>
        </div>
      </form>
    </Panel>
  );
}
