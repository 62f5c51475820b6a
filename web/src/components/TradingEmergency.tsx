// The trading state (ACTIVE / REDUCING / HALTED) as a big badge, the emergency stop (traders and admins:
// reason, optional flattening, then the per-venue report the API returns) and its reset (admins).
import { useCallback, useState } from 'react';
import { useCan } from '../api/auth';
import { api, ApiError, asApiError } from '../api/client';
import { utcTime } from '../lib/format';
import type { EmergencyStopResult, TradingState } from '../lib/TradingTypes';
import { ConfirmDialog } from './ConfirmDialog';
import { Panel } from './Panel';

interface Props {
  state: TradingState | null;
  emergencyStop: boolean | null;
  loading: boolean;
  // The state the last stop / reset answered with, shown until the risk channel catches up.
  onChanged(result: EmergencyStopResult): void;
}

export function TradingEmergency({ state, emergencyStop, loading, onChanged }: Props) {
  const canStop = useCan('trader');
  const canReset = useCan('admin');
  const [dialog, setDialog] = useState<'stop' | 'reset' | null>(null);
  const [reason, setReason] = useState('');
  const [flatten, setFlatten] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<EmergencyStopResult | null>(null);

  // Stable: ConfirmDialog refocuses its Cancel button whenever onCancel changes, and live data re-renders us.
  const dismiss = useCallback(() => setDialog(null), []);

  const open = (which: 'stop' | 'reset') => {
    setReason('');
    setFlatten(false);
    setError(null);
    setDialog(which);
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const r =
        dialog === 'stop'
          ? await api.post<EmergencyStopResult>('/api/risk/emergency-stop', { reason: reason.trim() || 'dashboard', flatten })
          : await api.post<EmergencyStopResult>('/api/risk/emergency-stop/reset', { reason: reason.trim() || 'dashboard' });
      setResult(r);
      onChanged(r);
      setDialog(null);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title="Trading state" loading={loading && state === null} testId="trading-state-panel">
      <div className="row">
        <span className={`badge trading-state ${state ?? ''}`} data-testid="trading-state" aria-label={`Trading state ${state ?? 'unknown'}`}>
          {state ?? '—'}
        </span>
        {emergencyStop ? <span className="badge HALTED">emergency stop engaged</span> : null}
        <span className="spacer" />
        {canStop && !emergencyStop ? (
          <button type="button" className="danger big" onClick={() => open('stop')} data-testid="emergency-stop">
            Emergency stop
          </button>
        ) : null}
        {canReset && emergencyStop ? (
          <button type="button" className="primary" onClick={() => open('reset')} data-testid="emergency-reset">
            Reset emergency stop
          </button>
        ) : null}
      </div>
      {error && !dialog ? <div className="form-error" role="alert">{error.message}</div> : null}
      {result ? <EmergencyResult result={result} /> : null}
      {dialog ? (
        <ConfirmDialog
          title={dialog === 'stop' ? 'Engage the emergency stop?' : 'Reset the emergency stop?'}
          confirmLabel={dialog === 'stop' ? 'Stop trading' : 'Reset'}
          danger={dialog === 'stop'}
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={dismiss}
        >
          <p className="muted small">
            {dialog === 'stop'
              ? 'Trading halts and every open order is canceled on every venue.'
              : 'Trading returns to the state it was in before the stop.'}
          </p>
          <label>
            Reason
            <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-label="Reason" data-testid="emergency-reason" />
          </label>
          {dialog === 'stop' ? (
            <label className="trading-check">
              <input type="checkbox" checked={flatten} onChange={(e) => setFlatten(e.target.checked)} />
              Also flatten positions (reduce-only market orders)
            </label>
          ) : null}
          {error ? (
            <div className="form-error" role="alert">
              {error.message} <span className="muted">({error.code})</span>
            </div>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </Panel>
  );
}

function EmergencyResult({ result }: { result: EmergencyStopResult }) {
  return (
    <div className="trading-result" data-testid="emergency-result">
      <div className="small">
        {result.engaged
          ? `Stop ${result.already_engaged ? 'was already engaged' : 'engaged'}${result.engaged_by ? ` by ${result.engaged_by}` : ''}${
              result.since ? ` at ${utcTime(result.since)}` : ''
            }${result.flatten ? ', positions flattened' : ''}; trading ${result.trading_state}.`
          : `Stop reset; trading ${result.trading_state}.`}
      </div>
      {result.venues && result.venues.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Venue</th>
              <th>Result</th>
              <th className="num">Closing orders</th>
              <th>Errors</th>
            </tr>
          </thead>
          <tbody>
            {result.venues.map((v) => (
              <tr key={v.venue}>
                <td>{v.venue}</td>
                <td>
                  <span className={`badge ${v.ok ? 'ACTIVE' : 'HALTED'}`}>{v.ok ? 'ok' : 'failed'}</span>
                </td>
                <td className="num">{v.close_orders.length}</td>
                <td className="small">{v.errors.length > 0 ? v.errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('; ') : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
