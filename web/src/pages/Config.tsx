// Configuration: the global risk configuration (GET/PUT /api/config/global) as a structured form for the
// main limits plus a JSON view of everything else (behaviour, volatility scaling, per-symbol overrides,
// circuit breakers); the server's 422 lists every problem and each lands on its field. Reset to the
// built-in defaults (POST /api/config/reset) after a confirmation. Admins edit; everyone else reads.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, asApiError } from '../api/client';
import { useCan } from '../api/auth';
import { useQuery } from '../api/hooks';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Panel } from '../components/Panel';
import { decimal } from '../lib/format';
import {
  formFromRisk,
  limitSpecs,
  parseProblems,
  riskFromForm,
  unitOf,
  type ConfigForm,
  type LimitSpec,
  type Problem,
} from '../lib/ConfigForm';

interface ConfigSummary {
  active: string;
  configurations: { name: string; active: boolean; updated_by?: string; updated?: string }[];
}

interface SaveAnswer {
  name: string;
  restart_required: unknown[];
}

type SymbolOverride = Record<string, unknown> & { instrument: string };

function overrideText(v: unknown): string {
  if (v === false) return 'off';
  if (typeof v === 'number' || typeof v === 'string') return decimal(v);
  if (v && typeof v === 'object') {
    const o = v as { enabled?: boolean; value?: unknown };
    return `${o.enabled === false ? 'off' : 'on'}${o.value !== undefined ? ` (${String(o.value)})` : ''}`;
  }
  return String(v);
}

export function Config() {
  const isAdmin = useCan('admin');
  const summary = useQuery<ConfigSummary>('/api/config');
  const global = useQuery<Record<string, unknown>>('/api/config/global');
  const symbols = useQuery<{ symbols: SymbolOverride[] }>('/api/config/symbols');
  const [form, setForm] = useState<ConfigForm | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirmReset, setConfirmReset] = useState(false);

  useEffect(() => {
    if (global.data) setForm(formFromRisk(global.data));
  }, [global.data]);

  const byField = useMemo(() => {
    const m: Record<string, string[]> = {};
    for (const p of problems) if (p.field) (m[p.field] ??= []).push(p.message);
    return m;
  }, [problems]);

  const reloadAll = () => {
    global.reload();
    summary.reload();
    symbols.reload();
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    setProblems([]);
    setError(null);
    setNotice(null);
    const built = riskFromForm(form);
    if ('jsonError' in built) {
      setProblems([{ path: 'JSON view', field: 'rest', message: built.jsonError }]);
      return;
    }
    setSaving(true);
    try {
      const answer = await api.put<SaveAnswer>('/api/config/global', built.body);
      const restart = answer.restart_required ?? [];
      setNotice(
        `Saved as "${answer.name}" and applied.` +
          (restart.length > 0 ? ` Changed circuit breakers take effect at the next start: ${restart.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join(', ')}.` : ''),
      );
      reloadAll();
    } catch (err) {
      const ae = asApiError(err);
      if (ae.status === 422 || ae.status === 400) setProblems(parseProblems(ae.message));
      else setError(ae);
    } finally {
      setSaving(false);
    }
  };

  const reset = async () => {
    setSaving(true);
    setProblems([]);
    setError(null);
    try {
      await api.post('/api/config/reset');
      setNotice('Built-in defaults saved as "default" and activated.');
      setConfirmReset(false);
      reloadAll();
    } catch (err) {
      setError(asApiError(err));
      setConfirmReset(false);
    } finally {
      setSaving(false);
    }
  };

  const set = <K extends keyof ConfigForm>(k: K, v: ConfigForm[K]) => setForm((f) => (f ? { ...f, [k]: v } : f));
  const fieldErr = (k: string) =>
    byField[k] ? (
      <span className="field-error" data-testid={`config-error-${k}`}>
        {byField[k].join('; ')}
      </span>
    ) : null;

  const limitRow = (s: LimitSpec) => {
    const key = `${s.section}.${s.key}`;
    const l = form?.limits[key] ?? { enabled: false, value: '' };
    const update = (next: Partial<typeof l>) => form && set('limits', { ...form.limits, [key]: { ...l, ...next } });
    return (
      <tr key={key}>
        <td>
          <label className="config-inline">
            <input type="checkbox" checked={l.enabled} aria-label={`${s.label} enabled`} onChange={(e) => update({ enabled: e.target.checked })} />
            {s.label}
          </label>
        </td>
        <td>
          <input
            className="config-value"
            aria-label={s.label}
            inputMode="decimal"
            value={l.value}
            placeholder={l.enabled ? 'value' : 'off'}
            onChange={(e) => update({ value: e.target.value })}
            aria-invalid={!!byField[key]}
          />
          {fieldErr(key)}
        </td>
        <td className="muted small">{unitOf[s.kind]}</td>
      </tr>
    );
  };

  const unplaced = problems.filter((p) => !p.field || p.field === 'rest');

  return (
    <>
      <h1>Configuration</h1>
      <Panel title="Saved configurations" loading={summary.loading && !summary.data} error={summary.data ? null : summary.error}>
        {summary.data ? (
          <div className="row">
            <span>
              Active: <b data-testid="config-active">{summary.data.active}</b>
            </span>
            {summary.data.configurations.map((c) => (
              <span key={c.name} className={`badge ${c.active ? 'ACTIVE' : ''}`}>
                {c.name}
                {c.updated_by ? <span className="muted"> · {c.updated_by}</span> : null}
              </span>
            ))}
            {!isAdmin ? <span className="muted small">Read only: changing the configuration needs the admin role.</span> : null}
          </div>
        ) : null}
      </Panel>

      <Panel
        title="Global risk configuration"
        testId="config-form"
        loading={global.loading && !global.data}
        error={global.data ? null : global.error}
        actions={
          isAdmin ? (
            <button type="button" className="danger" onClick={() => setConfirmReset(true)} disabled={saving}>
              Reset to defaults
            </button>
          ) : null
        }
      >
        {form ? (
          <form onSubmit={(e) => void save(e)} noValidate>
            {problems.length > 0 ? (
              <div className="form-error" role="alert" data-testid="config-problems">
                <b>
                  {problems.length} problem{problems.length === 1 ? '' : 's'}:
                </b>
                <ul>
                  {problems.map((p, i) => (
                    <li key={i}>
                      {p.path ? <code>{p.path}</code> : null} {p.message}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {error ? (
              <div className="form-error" role="alert">
                {error.message} <span className="muted">({error.code})</span>
              </div>
            ) : null}
            {notice ? (
              <div className="config-notice" role="status">
                {notice}
              </div>
            ) : null}
            <fieldset disabled={!isAdmin || saving} className="config-fieldset">
              <div className="grid cols-2">
                <div>
                  <h3>Per instrument (defaults)</h3>
                  <table className="config-table">
                    <tbody>{limitSpecs.filter((s) => s.section === 'limits').map(limitRow)}</tbody>
                  </table>
                  <h3 className="config-h3">General</h3>
                  <div className="form-grid">
                    <label>
                      Warning utilisation (fraction)
                      <input value={form.warning_utilisation} onChange={(e) => set('warning_utilisation', e.target.value)} />
                      {fieldErr('warning_utilisation')}
                    </label>
                    <label>
                      Margin call ratio (fraction)
                      <input value={form.margin_call_ratio} onChange={(e) => set('margin_call_ratio', e.target.value)} />
                      {fieldErr('margin_call_ratio')}
                    </label>
                    <label className="config-inline">
                      <input type="checkbox" checked={form.check_margin} onChange={(e) => set('check_margin', e.target.checked)} />
                      Check margin
                    </label>
                    <label className="config-inline">
                      <input type="checkbox" checked={form.reduce_quantity_to_fit} onChange={(e) => set('reduce_quantity_to_fit', e.target.checked)} />
                      Reduce quantity to fit
                    </label>
                  </div>
                </div>
                <div>
                  <h3>Account</h3>
                  <table className="config-table">
                    <tbody>{limitSpecs.filter((s) => s.section === 'account').map(limitRow)}</tbody>
                  </table>
                  <h3 className="config-h3">Portfolio VaR</h3>
                  <div className="form-grid">
                    <label className="config-inline">
                      <input type="checkbox" checked={form.var_enabled} onChange={(e) => set('var_enabled', e.target.checked)} />
                      VaR limit enabled
                    </label>
                    <label>
                      Max VaR (USDT)
                      <input value={form.var_max} onChange={(e) => set('var_max', e.target.value)} />
                      {fieldErr('var_max')}
                    </label>
                    <label>
                      Confidence
                      <input value={form.var_confidence} onChange={(e) => set('var_confidence', e.target.value)} />
                      {fieldErr('var_confidence')}
                    </label>
                    <label>
                      Horizon (days)
                      <input value={form.var_horizon_days} onChange={(e) => set('var_horizon_days', e.target.value)} />
                      {fieldErr('var_horizon_days')}
                    </label>
                  </div>
                </div>
              </div>
              <h3 className="config-h3">Everything else (JSON: volatility scaling, behaviour, per-symbol overrides, circuit breakers)</h3>
              <textarea
                className="config-json"
                aria-label="Other settings (JSON)"
                spellCheck={false}
                value={form.rest}
                onChange={(e) => set('rest', e.target.value)}
                rows={14}
              />
              {unplaced.length > 0 ? (
                <div className="field-error" data-testid="config-json-problems">
                  {unplaced.map((p, i) => (
                    <div key={i}>
                      {p.path ? `${p.path}: ` : ''}
                      {p.message}
                    </div>
                  ))}
                </div>
              ) : null}
            </fieldset>
            {isAdmin ? (
              <div className="row config-actions">
                <button type="submit" className="primary" disabled={saving}>
                  {saving ? 'Saving…' : 'Save and apply'}
                </button>
                <button
                  type="button"
                  disabled={saving}
                  onClick={() => {
                    if (global.data) setForm(formFromRisk(global.data));
                    setProblems([]);
                    setNotice(null);
                  }}
                >
                  Discard changes
                </button>
              </div>
            ) : null}
          </form>
        ) : null}
      </Panel>

      <Panel
        title="Per-symbol overrides"
        testId="config-symbols"
        loading={symbols.loading && !symbols.data}
        error={symbols.data ? null : symbols.error}
        empty={symbols.data && symbols.data.symbols.length === 0 ? 'No per-symbol overrides: every instrument uses the limits above' : null}
      >
        <table>
          <thead>
            <tr>
              <th>Instrument</th>
              <th>Tradable</th>
              <th>Overrides</th>
            </tr>
          </thead>
          <tbody>
            {(symbols.data?.symbols ?? []).map((s) => (
              <tr key={s.instrument}>
                <td>{s.instrument}</td>
                <td>{s.tradable === false ? <span className="badge REDUCING">reduce only</span> : 'yes'}</td>
                <td className="small">
                  {Object.entries(s)
                    .filter(([k]) => k !== 'instrument' && k !== 'tradable')
                    .map(([k, v]) => `${k} = ${overrideText(v)}`)
                    .join(', ') || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="muted small">Overrides are edited in the "symbols" list of the JSON view above.</div>
      </Panel>

      {confirmReset ? (
        <ConfirmDialog
          title="Reset the risk configuration?"
          confirmLabel="Reset to defaults"
          danger
          busy={saving}
          onCancel={() => setConfirmReset(false)}
          onConfirm={() => void reset()}
        >
          Every limit goes back to the built-in default (off), saved as "default" and activated at once.
        </ConfirmDialog>
      ) : null}
    </>
  );
}
