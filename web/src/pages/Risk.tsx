// Risk: limit utilisation, VaR and ES by method and confidence, correlation and stress heatmaps,
// volatility per instrument, and the alerts feed (REST first, then live on the "alerts" channel).
import { useCallback, useMemo, useState } from 'react';
import type { ApiError } from '../api/client';
import { useChannel, useQuery } from '../api/hooks';
import { HeatmapChart } from '../components/HeatmapChart';
import { Panel, Stat } from '../components/Panel';
import { money, multiple, percent, pnl, signClass, utcTime } from '../lib/format';
import {
  barWidth,
  cellLabel,
  correlationHeatmap,
  insufficientHistory,
  limitClass,
  limitFigure,
  limitLabel,
  methodLabels,
  sortLimits,
  stressHeatmap,
  varTable,
  type RiskLimit,
  type StressScenario,
  type VarEstimate,
} from '../lib/RiskFigures';

interface RiskView {
  trading_state: string;
  equity: string;
  daily_pnl: string;
  gross_exposure: string;
  net_exposure: string;
  leverage: number;
  margin_ratio: number | null;
  portfolio_var: number;
  limits: RiskLimit[];
  performance?: { drawdown?: number };
}

interface Analysis {
  currency: string;
  confidence: number[];
  horizon_days: number;
  returns_used: number;
  estimates: VarEstimate[];
  note: string | null;
  stress: { scenarios: StressScenario[]; worst_scenario?: string; worst_pnl?: number };
  instruments: { symbol: string }[];
}

interface Correlation {
  symbols: string[];
  matrix: number[][];
  returns_used: number;
  shrinkage_intensity?: number;
}

interface Market {
  symbol: string;
  last_close: number;
  trend: { direction: string } | null;
  regime: string | null;
  volatility: {
    annualised: number | null;
    ewma_annualised: number | null;
    level: { class: string; percentile: number } | null;
    trend: { direction: string; variance_ratio: number } | null;
  } | null;
}

export interface Alert {
  id: number | string;
  severity: string;
  code: string;
  message: string;
  instrument_id?: string | null;
  ts: string;
}

const confidences = [0.95, 0.99];
const fallbackSymbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];

// A money figure whose currency is in the column header.
function amount(v: number): string {
  return money(v, '').trim();
}

function historyMessage(error: ApiError | null): string | null {
  return error && error.code === 'INSUFFICIENT_HISTORY' ? insufficientHistory(error.message) : null;
}

export function Risk() {
  const risk = useQuery<RiskView>('/api/risk', 3000);
  const analysis = useQuery<Analysis>(`/api/risk/analysis?confidence=${confidences.join(',')}`, 10000);
  // Every paper instrument (the analysis lists only those with a position).
  const symbols = [...new Set([...fallbackSymbols, ...(analysis.data?.instruments.map((i) => i.symbol) ?? [])])];
  return (
    <>
      <h1>Risk</h1>
      <RiskSummary risk={risk.data} error={risk.error} loading={risk.loading} />
      <div className="grid cols-2">
        <LimitBars risk={risk.data} error={risk.error} loading={risk.loading} />
        <VarPanel analysis={analysis.data} error={analysis.error} loading={analysis.loading} />
      </div>
      <div className="grid cols-2">
        <CorrelationPanel />
        <StressPanel analysis={analysis.data} error={analysis.error} loading={analysis.loading} />
      </div>
      <VolatilityPanel symbols={symbols} />
      <AlertsPanel />
    </>
  );
}

function RiskSummary({ risk, error, loading }: { risk: RiskView | null; error: ApiError | null; loading: boolean }) {
  return (
    <Panel title="Account risk" loading={loading && !risk} error={risk ? null : error}>
      {risk ? (
        <div className="stats">
          <Stat label="Trading state" value={<span className={`badge ${risk.trading_state}`}>{risk.trading_state}</span>} />
          <Stat label="Equity" value={money(risk.equity)} />
          <Stat label="Daily P&L" value={pnl(risk.daily_pnl)} className={signClass(risk.daily_pnl)} />
          <Stat label="Gross exposure" value={money(risk.gross_exposure)} />
          <Stat label="Net exposure" value={money(risk.net_exposure)} />
          <Stat label="Leverage" value={multiple(risk.leverage)} />
          <Stat label="Drawdown" value={percent(risk.performance?.drawdown ?? null)} />
          <Stat label="Portfolio VaR" value={money(risk.portfolio_var)} />
        </div>
      ) : null}
    </Panel>
  );
}

function LimitBars({ risk, error, loading }: { risk: RiskView | null; error: ApiError | null; loading: boolean }) {
  const limits = risk ? sortLimits(risk.limits) : [];
  return (
    <Panel
      title="Limit utilisation"
      testId="limit-bars"
      loading={loading && !risk}
      error={risk ? null : error}
      empty={risk && limits.length === 0 ? 'No limits enabled' : null}
    >
      <table className="risk-limits">
        <tbody>
          {limits.map((l) => {
            const cls = limitClass(l.utilisation);
            return (
              <tr key={l.limit} data-testid={`limit-${l.limit}`}>
                <td>
                  {limitLabel(l.limit)}
                  <div className="muted small">
                    {limitFigure(l.limit, l.value)} of {limitFigure(l.limit, l.max)}
                  </div>
                </td>
                <td className="risk-bar-cell">
                  <div
                    className={`bar ${cls}`}
                    role="meter"
                    aria-label={`${limitLabel(l.limit)} utilisation`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={Math.round(barWidth(l.utilisation))}
                  >
                    <div style={{ width: `${barWidth(l.utilisation)}%` }} />
                  </div>
                </td>
                <td className={`num ${cls === 'over' ? 'neg' : ''}`}>{percent(l.utilisation, 1)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="muted small risk-legend">Amber from 80 % of a limit, red at 100 %.</div>
    </Panel>
  );
}

function VarPanel({ analysis, error, loading }: { analysis: Analysis | null; error: ApiError | null; loading: boolean }) {
  const waiting = historyMessage(error);
  const rows = analysis ? varTable(analysis.estimates, confidences) : [];
  const ccy = analysis?.currency ?? 'USDT';
  return (
    <Panel
      title={`VaR and expected shortfall (${analysis ? `${analysis.horizon_days} day, ` : ''}${ccy})`}
      testId="var-table"
      loading={loading && !analysis && !error}
      error={waiting || analysis ? null : error}
      empty={waiting ?? (analysis && rows.length === 0 ? analysis.note ?? 'No positions: nothing at risk' : null)}
    >
      {analysis ? (
        <>
          <table>
            <thead>
              <tr>
                <th>Method</th>
                {confidences.map((c) => [
                  <th key={`v${c}`} className="num">
                    VaR {percent(c, 0)}
                  </th>,
                  <th key={`e${c}`} className="num">
                    ES {percent(c, 0)}
                  </th>,
                ])}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.method}>
                  <td>{methodLabels[r.method] ?? r.method}</td>
                  {r.cells.map((cell, i) => [
                    <td key={`v${i}`} className="num" title={cell?.varSe ? `standard error ${money(cell.varSe, ccy)}` : undefined}>
                      {cell ? amount(cell.var) : '—'}
                    </td>,
                    <td key={`e${i}`} className="num" title={cell?.esSe ? `standard error ${money(cell.esSe, ccy)}` : undefined}>
                      {cell ? amount(cell.es) : '—'}
                    </td>,
                  ])}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="muted small risk-legend">
            Positive losses in {ccy} over the horizon, from {analysis.returns_used} bar returns.
            {analysis.note ? ` ${analysis.note}` : ''}
          </div>
        </>
      ) : null}
    </Panel>
  );
}

function CorrelationPanel() {
  const [method, setMethod] = useState('sample');
  const q = useQuery<Correlation>(`/api/positions/correlation?method=${method}`, 15000);
  const waiting = historyMessage(q.error);
  const map = useMemo(() => (q.data ? correlationHeatmap(q.data.symbols, q.data.matrix) : null), [q.data]);
  const label = useCallback((v: number) => cellLabel(v, 'ratio'), []);
  return (
    <Panel
      title="Correlation of returns"
      testId="correlation-panel"
      actions={
        <label className="risk-inline">
          Method
          <select aria-label="Correlation method" value={method} onChange={(e) => setMethod(e.target.value)}>
            <option value="sample">Sample</option>
            <option value="ewma">EWMA (λ 0.94)</option>
            <option value="ledoit_wolf">Ledoit–Wolf</option>
          </select>
        </label>
      }
      loading={q.loading && !q.data && !q.error}
      error={waiting || q.data ? null : q.error}
      empty={waiting}
    >
      {map && q.data ? (
        <>
          <HeatmapChart map={map} label={label} palette="correlation" height={300} testId="correlation-heatmap" ariaLabel="Correlation heatmap" />
          <div className="muted small">
            {q.data.returns_used} returns
            {q.data.shrinkage_intensity !== undefined ? `, shrinkage intensity ${q.data.shrinkage_intensity.toFixed(2)}` : ''}
          </div>
        </>
      ) : null}
    </Panel>
  );
}

function StressPanel({ analysis, error, loading }: { analysis: Analysis | null; error: ApiError | null; loading: boolean }) {
  const waiting = historyMessage(error);
  const scenarios = analysis?.stress?.scenarios ?? [];
  const map = useMemo(() => stressHeatmap(scenarios), [scenarios]);
  const ccy = analysis?.currency ?? 'USDT';
  const label = useCallback((v: number) => `${cellLabel(v, 'pnl')}`, []);
  const hasExposure = scenarios.some((s) => s.pnl !== 0);
  return (
    <Panel
      title={`Stress scenarios (P&L, ${ccy})`}
      testId="stress-panel"
      loading={loading && !analysis && !error}
      error={waiting || analysis ? null : error}
      empty={waiting ?? (analysis && (!hasExposure || scenarios.length === 0) ? 'No positions: the scenarios move nothing' : null)}
    >
      <HeatmapChart map={map} label={label} testId="stress-heatmap" ariaLabel="Stress scenario heatmap" />
      {analysis?.stress.worst_scenario ? (
        <div className="muted small">
          Worst: {analysis.stress.worst_scenario}, <span className="neg">{pnl(analysis.stress.worst_pnl ?? null, ccy)}</span>. Hypothetical
          moves, not forecasts.
        </div>
      ) : null}
    </Panel>
  );
}

function VolatilityPanel({ symbols }: { symbols: string[] }) {
  return (
    <Panel title="Volatility and trend" testId="volatility-panel">
      <table>
        <thead>
          <tr>
            <th>Instrument</th>
            <th className="num">Last</th>
            <th className="num">Vol (ann.)</th>
            <th className="num">EWMA vol</th>
            <th>Level</th>
            <th>Vol trend</th>
            <th>Price trend</th>
            <th>Regime</th>
          </tr>
        </thead>
        <tbody>
          {symbols.map((s) => (
            <VolatilityRow key={s} symbol={s} />
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

function VolatilityRow({ symbol }: { symbol: string }) {
  const q = useQuery<Market>(`/api/analytics/market?symbol=${encodeURIComponent(symbol)}`, 10000);
  if (!q.data) {
    const text = q.error ? (q.error.code === 'INSUFFICIENT_HISTORY' ? insufficientHistory(q.error.message) : q.error.message) : 'Loading…';
    return (
      <tr>
        <td>{symbol}</td>
        <td colSpan={7} className={q.error && q.error.code !== 'INSUFFICIENT_HISTORY' ? 'neg' : 'muted'}>
          {text}
        </td>
      </tr>
    );
  }
  const v = q.data.volatility;
  const level = v?.level?.class ?? null;
  return (
    <tr data-testid={`vol-${symbol}`}>
      <td>{symbol}</td>
      <td className="num">{money(q.data.last_close, 'USDT', 2)}</td>
      <td className="num">{percent(v?.annualised ?? null, 1)}</td>
      <td className="num">{percent(v?.ewma_annualised ?? null, 1)}</td>
      <td>
        {level ? (
          <span className={`badge vol-${level}`} title={`percentile ${v?.level?.percentile.toFixed(0)}`}>
            {level}
          </span>
        ) : (
          '—'
        )}
      </td>
      <td>{v?.trend?.direction ?? <span className="muted">needs 100 returns</span>}</td>
      <td>{q.data.trend?.direction ?? '—'}</td>
      <td>{q.data.regime ?? <span className="muted" title="needs highs and lows">n/a</span>}</td>
    </tr>
  );
}

function AlertsPanel() {
  const q = useQuery<{ alerts: Alert[] }>('/api/risk/alerts?limit=50');
  const [live, setLive] = useState<Alert[] | null>(null);
  useChannel('alerts', (m) => {
    if (m.type === 'snapshot' && Array.isArray(m.data)) setLive(m.data as Alert[]);
    else if (m.type === 'alert' && m.data) setLive((prev) => [m.data as Alert, ...(prev ?? q.data?.alerts ?? [])].slice(0, 100));
  });
  const alerts = live ?? q.data?.alerts ?? [];
  return (
    <Panel
      title="Alerts"
      testId="alerts-panel"
      loading={q.loading && !live && !q.data}
      error={live || q.data ? null : q.error}
      empty={alerts.length === 0 ? 'No alerts' : null}
    >
      <div className="risk-scroll">
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Severity</th>
              <th>Alert</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a, i) => (
              <tr key={`${a.id}-${i}`}>
                <td className="small">{utcTime(a.ts)}</td>
                <td>
                  <span className={`badge ${a.severity}`}>{a.severity}</span>
                </td>
                <td className="small">{a.code}</td>
                <td className="risk-wrap">{a.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
