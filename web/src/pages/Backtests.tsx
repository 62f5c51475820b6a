// Backtests: a form (strategy and its parameters from GET /api/backtests/strategies, synthetic or CSV data,
// balance, slippage), the past runs, and a run's result: progress while it runs, then equity vs benchmark,
// drawdown, price with the trades, monthly returns, the metrics and trades tables and the HTML report as a
// download (fetched with the token, offered as a blob link: opened in a tab it would run under the
// dashboard's CSP, which blocks the report's inline script).
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, asApiError } from '../api/client';
import { useCan } from '../api/auth';
import { useQuery } from '../api/hooks';
import { HeatmapChart } from '../components/HeatmapChart';
import { Panel, Stat } from '../components/Panel';
import { TimeChart, type Series } from '../components/TimeChart';
import { money, percent, pnl, signClass, utcTime, decimal } from '../lib/format';
import {
  backtestBody,
  defaultParams,
  finished,
  initialForm,
  monthlyHeatmap,
  toPoints,
  tradeMarkers,
  type BacktestFormState,
  type Errors,
  type SeriesPointIn,
  type StrategyInfo,
  type TradeMarkerIn,
} from '../lib/BacktestForm';

interface Job {
  id: string;
  label: string;
  strategy: string;
  status: string;
  progress: number;
  created: string;
  finished: string | null;
  error: string | null;
  submitted_by?: string;
  data?: { source: string; symbols?: string[]; bars?: number; interval?: string };
  metrics: { total_return: number; sharpe: number | null; max_drawdown: number; trades: number; win_rate: number | null } | null;
  result?: BacktestResult;
}

interface Trade {
  instrument: string;
  side: string;
  entry_time: string;
  exit_time: string;
  entry_price: number | string;
  exit_price: number | string;
  quantity: number | string;
  pnl: number;
  fees: number;
  return: number | null;
}

interface BacktestResult {
  instrument: string;
  metrics: Record<string, unknown> & { undefined?: Record<string, string> };
  equity: SeriesPointIn[];
  benchmark: SeriesPointIn[];
  drawdown: SeriesPointIn[];
  prices: SeriesPointIn[];
  markers: TradeMarkerIn[];
  markers_truncated?: boolean;
  monthly_returns: { year: number; month: number; return: number }[];
  trades: Trade[];
}

export function Backtests() {
  const { id } = useParams();
  const navigate = useNavigate();
  const canRun = useCan('trader');
  const strategies = useQuery<{ strategies: StrategyInfo[] }>('/api/backtests/strategies');
  const list = useQuery<{ backtests: Job[] }>('/api/backtests', 3000);
  const jobs = list.data?.backtests ?? [];
  const [busyId, setBusyId] = useState<string | null>(null);
  const [listError, setListError] = useState<ApiError | null>(null);

  const remove = async (jobId: string) => {
    setBusyId(jobId);
    setListError(null);
    try {
      await api.del(`/api/backtests/${encodeURIComponent(jobId)}`);
      if (jobId === id) navigate('/backtests');
      list.reload();
    } catch (e) {
      setListError(asApiError(e));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <>
      <h1>Backtests</h1>
      <div className="grid backtest-top">
        <BacktestFormPanel
          strategies={strategies.data?.strategies ?? null}
          loading={strategies.loading}
          error={strategies.error}
          canRun={canRun}
          onStarted={(jobId) => {
            list.reload();
            navigate(`/backtests/${jobId}`);
          }}
        />
        <Panel
          title="Runs"
          testId="backtest-list"
          loading={list.loading && !list.data}
          error={list.data ? null : list.error}
          empty={list.data && jobs.length === 0 ? 'No backtests yet' : null}
        >
          {listError ? (
            <div className="form-error" role="alert">
              {listError.message}
            </div>
          ) : null}
          <div className="backtest-scroll">
            <table className="backtest-runs">
              <thead>
                <tr>
                  <th>Run</th>
                  <th>Status</th>
                  <th className="num">Return</th>
                  <th className="num">Max DD</th>
                  <th className="num">Trades</th>
                  <th>Created (UTC)</th>
                  {canRun ? <th /> : null}
                </tr>
              </thead>
              <tbody>
                {jobs.map((j) => (
                  <tr key={j.id} className={j.id === id ? 'backtest-selected' : ''} data-testid={`backtest-run-${j.id}`}>
                    <td>
                      <a
                        href={`/backtests/${j.id}`}
                        onClick={(e) => {
                          e.preventDefault();
                          navigate(`/backtests/${j.id}`);
                        }}
                        title={j.label}
                      >
                        {j.label.length > 24 ? `${j.label.slice(0, 23)}…` : j.label}
                      </a>
                    </td>
                    <td>
                      <span className={`badge ${j.status}`}>{j.status}</span>
                      {!finished(j.status) ? <span className="muted small"> {percent(j.progress, 0)}</span> : null}
                    </td>
                    <td className={`num ${signClass(j.metrics?.total_return)}`}>{percent(j.metrics?.total_return ?? null)}</td>
                    <td className="num">{percent(j.metrics?.max_drawdown ?? null)}</td>
                    <td className="num">{j.metrics?.trades ?? '—'}</td>
                    <td className="small" title={utcTime(j.created)}>
                      {utcTime(j.created, false).slice(5, 16)}
                    </td>
                    {canRun ? (
                      <td>
                        <button
                          type="button"
                          aria-label={`${finished(j.status) ? 'Delete' : 'Cancel'} backtest ${j.id}`}
                          disabled={busyId === j.id}
                          onClick={() => void remove(j.id)}
                        >
                          {finished(j.status) ? 'Delete' : 'Cancel'}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Panel>
      </div>
      {id ? <BacktestRun id={id} onChanged={list.reload} /> : null}
    </>
  );
}

interface FormPanelProps {
  strategies: StrategyInfo[] | null;
  loading: boolean;
  error: ApiError | null;
  canRun: boolean;
  onStarted(id: string): void;
}

function BacktestFormPanel({ strategies, loading, error, canRun, onStarted }: FormPanelProps) {
  const [f, setF] = useState<BacktestFormState | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (strategies && !f) setF(initialForm(strategies));
  }, [strategies, f]);

  const strategy = strategies?.find((s) => s.name === f?.strategy);
  const set = <K extends keyof BacktestFormState>(k: K, v: BacktestFormState[K]) => setF((prev) => (prev ? { ...prev, [k]: v } : prev));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!f || !strategies) return;
    setSubmitError(null);
    const built = backtestBody(f, strategies);
    if ('errors' in built) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    setSending(true);
    try {
      const job = await api.post<{ id: string }>('/api/backtests', built.body);
      onStarted(job.id);
    } catch (err) {
      const ae = asApiError(err);
      if (ae.field) setErrors({ [ae.field]: ae.message });
      setSubmitError(ae);
    } finally {
      setSending(false);
    }
  };

  const fe = (k: string) => (errors[k] ? <span className="field-error">{errors[k]}</span> : null);

  return (
    <Panel title="New backtest" testId="backtest-form" loading={loading && !strategies} error={strategies ? null : error}>
      {f && strategies ? (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <fieldset disabled={!canRun || sending} className="backtest-fieldset">
            <div className="form-grid">
              <label>
                Strategy
                <select
                  value={f.strategy}
                  onChange={(e) => {
                    const s = strategies.find((x) => x.name === e.target.value);
                    setF({ ...f, strategy: e.target.value, params: defaultParams(s) });
                  }}
                >
                  {strategies.map((s) => (
                    <option key={s.name} value={s.name}>
                      {s.name}
                    </option>
                  ))}
                </select>
                {fe('strategy')}
              </label>
              {strategy?.parameters.map((p) => (
                <label key={p.name} title={`${p.description} (${p.min}–${p.max})`}>
                  {p.name}
                  {p.type === 'boolean' ? (
                    <select value={f.params[p.name]} onChange={(e) => set('params', { ...f.params, [p.name]: e.target.value })}>
                      <option value="true">yes</option>
                      <option value="false">no</option>
                    </select>
                  ) : (
                    <input
                      value={f.params[p.name] ?? ''}
                      inputMode="decimal"
                      onChange={(e) => set('params', { ...f.params, [p.name]: e.target.value })}
                      aria-invalid={!!errors[`params.${p.name}`]}
                    />
                  )}
                  {fe(`params.${p.name}`)}
                </label>
              ))}
            </div>
            {strategy ? <div className="muted small backtest-desc">{strategy.description}</div> : null}
            <div className="form-grid">
              <label>
                Data
                <select value={f.source} onChange={(e) => set('source', e.target.value as BacktestFormState['source'])}>
                  <option value="synthetic">synthetic</option>
                  <option value="csv">CSV files</option>
                </select>
              </label>
              {f.source === 'synthetic' ? (
                <>
                  <label>
                    Symbols
                    <input value={f.symbols} onChange={(e) => set('symbols', e.target.value)} />
                    {fe('data.symbols')}
                  </label>
                  <label>
                    Bars
                    <input value={f.bars} inputMode="numeric" onChange={(e) => set('bars', e.target.value)} />
                    {fe('data.bars')}
                  </label>
                  <label>
                    Interval
                    <input value={f.interval} onChange={(e) => set('interval', e.target.value)} />
                    {fe('data.interval')}
                  </label>
                  <label>
                    Seed
                    <input value={f.seed} inputMode="numeric" onChange={(e) => set('seed', e.target.value)} />
                    {fe('data.seed')}
                  </label>
                </>
              ) : (
                <>
                  <label className="backtest-files">
                    CSV files (in the server's backtest data directory, one a line)
                    <textarea rows={3} value={f.files} onChange={(e) => set('files', e.target.value)} />
                    {fe('data.files')}
                  </label>
                  <label title="Whether a file's timestamp is each bar's open time or its close time (Binance kline files name both)">
                    Bar timestamps
                    <select value={f.bar_time} data-testid="backtest-bar-time" onChange={(e) => set('bar_time', e.target.value as BacktestFormState['bar_time'])}>
                      <option value="start">bar open</option>
                      <option value="end">bar close</option>
                    </select>
                    {fe('data.bar_time')}
                  </label>
                </>
              )}
              <label>
                Starting balance (USDT)
                <input value={f.starting_balance} inputMode="decimal" onChange={(e) => set('starting_balance', e.target.value)} />
                {fe('starting_balance')}
              </label>
              <label>
                Notional per entry (USDT)
                <input value={f.notional} inputMode="decimal" placeholder="10 % of balance" onChange={(e) => set('notional', e.target.value)} />
                {fe('notional')}
              </label>
              <label>
                Slippage (bp)
                <input value={f.slippage_bps} inputMode="decimal" onChange={(e) => set('slippage_bps', e.target.value)} />
                {fe('slippage_bps')}
              </label>
              <label title="Bars before this time only warm the strategy's indicators; trading and the results start here">
                Trade from (UTC)
                <input value={f.trade_from} placeholder="first bar" data-testid="backtest-trade-from" onChange={(e) => set('trade_from', e.target.value)} />
                {fe('trade_from')}
              </label>
              <label>
                Label
                <input value={f.label} placeholder="optional" onChange={(e) => set('label', e.target.value)} />
              </label>
            </div>
          </fieldset>
          {submitError ? (
            <div className="form-error" role="alert">
              {submitError.message} <span className="muted">({submitError.code})</span>
            </div>
          ) : null}
          <div className="row backtest-submit">
            {canRun ? (
              <button type="submit" className="primary" disabled={sending}>
                {sending ? 'Starting…' : 'Run backtest'}
              </button>
            ) : (
              <span className="muted small">Running backtests needs the trader role.</span>
            )}
          </div>
        </form>
      ) : null}
    </Panel>
  );
}

function BacktestRun({ id, onChanged }: { id: string; onChanged(): void }) {
  const [done, setDone] = useState(false);
  const q = useQuery<Job>(`/api/backtests/${encodeURIComponent(id)}`, done ? undefined : 1000);
  const job = q.data && q.data.id === id ? q.data : null;
  useEffect(() => setDone(false), [id]);
  useEffect(() => {
    if (job && finished(job.status)) {
      setDone(true);
      onChanged();
    }
  }, [job?.status]);

  const result = job?.result;
  const equitySeries = useMemo<Series[]>(
    () =>
      result
        ? [
            { name: 'Equity', points: toPoints(result.equity), color: '#4493f8' },
            { name: 'Benchmark (buy and hold)', points: toPoints(result.benchmark), color: '#8b949e' },
          ]
        : [],
    [result],
  );
  const drawdownSeries = useMemo<Series[]>(
    () => (result ? [{ name: 'Drawdown', points: toPoints(result.drawdown).map((p) => ({ t: p.t, v: p.v * 100 })), color: '#f85149', area: true }] : []),
    [result],
  );
  const priceSeries = useMemo<Series[]>(
    () => (result ? [{ name: result.instrument, points: toPoints(result.prices, 'close'), color: '#d29922', markers: tradeMarkers(result.markers) }] : []),
    [result],
  );
  const monthly = useMemo(() => monthlyHeatmap(result?.monthly_returns), [result]);

  return (
    <>
      <Panel
        title={job ? `Run ${job.id}: ${job.label}` : `Run ${id}`}
        testId="backtest-run"
        loading={q.loading && !job}
        error={job ? null : q.error}
        actions={job?.status === 'DONE' ? <ReportButton id={id} /> : null}
      >
        {job ? (
          <div className="backtest-status">
            <div className="row">
              <span className={`badge ${job.status}`} data-testid="backtest-status">
                {job.status}
              </span>
              <div
                className="bar backtest-progress"
                role="progressbar"
                aria-label="Backtest progress"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(job.progress * 100)}
                data-testid="backtest-progress"
              >
                <div style={{ width: `${Math.min(100, job.progress * 100)}%` }} />
              </div>
              <span className="num">{percent(job.progress, 0)}</span>
              <span className="muted small">
                {job.strategy}
                {job.data?.symbols ? ` · ${job.data.symbols.join(', ')}` : ''}
                {job.data?.bars ? ` · ${job.data.bars} × ${job.data.interval} bars` : ''} · created {utcTime(job.created)}
                {job.finished ? ` · finished ${utcTime(job.finished)}` : ''}
              </span>
            </div>
            {job.error ? (
              <div className="form-error" role="alert">
                {job.error}
              </div>
            ) : null}
            {result ? <HeadlineStats m={result.metrics} /> : null}
          </div>
        ) : null}
      </Panel>
      {result ? (
        <>
          <div className="grid cols-2">
            <Panel title="Equity vs benchmark (USDT)" testId="backtest-equity">
              <TimeChart series={equitySeries} height={280} testId="equity-chart" />
            </Panel>
            <Panel title="Drawdown (%)">
              <TimeChart series={drawdownSeries} height={280} testId="drawdown-chart" />
            </Panel>
          </div>
          <div className="grid cols-2">
            <Panel title={`Price and trades (${result.instrument})`} empty={result.prices.length === 0 ? 'No prices' : null}>
              <TimeChart series={priceSeries} height={280} testId="price-chart" />
              {result.markers_truncated ? <div className="muted small">Markers truncated: the run has more trades than the chart shows.</div> : null}
            </Panel>
            <Panel title="Monthly returns" empty={result.monthly_returns.length === 0 ? 'Shorter than a month' : null}>
              <HeatmapChart map={monthly} label={monthLabel} testId="monthly-heatmap" ariaLabel="Monthly returns heatmap" height={Math.max(180, 70 + monthly.y.length * 36)} />
            </Panel>
          </div>
          <div className="grid cols-2">
            <MetricsTable m={result.metrics} />
            <TradesTable trades={result.trades} />
          </div>
        </>
      ) : null}
    </>
  );
}

const monthLabel = (v: number) => `${(v * 100).toFixed(1)}%`;

function HeadlineStats({ m }: { m: BacktestResult['metrics'] }) {
  const n = (k: string) => (typeof m[k] === 'number' ? (m[k] as number) : null);
  return (
    <div className="stats backtest-headline">
      <Stat label="Total return" value={percent(n('total_return'))} className={signClass(n('total_return'))} testId="metric-total-return" />
      <Stat label="Benchmark" value={percent(n('benchmark_total_return'))} />
      <Stat label="Final equity" value={money(n('final_equity'))} />
      <Stat label="Sharpe" value={n('sharpe')?.toFixed(2) ?? '—'} />
      <Stat label="Max drawdown" value={percent(n('max_drawdown'))} className={n('max_drawdown') ? 'neg' : ''} />
      <Stat label="Trades" value={n('trades') ?? '—'} />
      <Stat label="Win rate" value={percent(n('win_rate'), 1)} />
    </div>
  );
}

type MetricKind = 'pct' | 'ratio' | 'money' | 'count' | 'seconds';

const metricRows: [string, string, MetricKind][] = [
  ['initial_equity', 'Initial equity', 'money'],
  ['final_equity', 'Final equity', 'money'],
  ['net_pnl', 'Net P&L', 'money'],
  ['total_return', 'Total return', 'pct'],
  ['benchmark_total_return', 'Benchmark return', 'pct'],
  ['cagr', 'CAGR', 'pct'],
  ['annual_volatility', 'Annual volatility', 'pct'],
  ['sharpe', 'Sharpe ratio', 'ratio'],
  ['sortino', 'Sortino ratio', 'ratio'],
  ['calmar', 'Calmar ratio', 'ratio'],
  ['omega', 'Omega ratio', 'ratio'],
  ['max_drawdown', 'Max drawdown', 'pct'],
  ['ulcer_index', 'Ulcer index', 'ratio'],
  ['downside_deviation', 'Downside deviation', 'pct'],
  ['skew', 'Skewness', 'ratio'],
  ['excess_kurtosis', 'Excess kurtosis', 'ratio'],
  ['tail_ratio', 'Tail ratio', 'ratio'],
  ['best_period', 'Best period', 'pct'],
  ['worst_period', 'Worst period', 'pct'],
  ['trades', 'Trades', 'count'],
  ['wins', 'Wins', 'count'],
  ['losses', 'Losses', 'count'],
  ['win_rate', 'Win rate', 'pct'],
  ['profit_factor', 'Profit factor', 'ratio'],
  ['payoff_ratio', 'Payoff ratio', 'ratio'],
  ['expectancy', 'Expectancy per trade', 'money'],
  ['average_win', 'Average win', 'money'],
  ['average_loss', 'Average loss', 'money'],
  ['largest_win', 'Largest win', 'money'],
  ['largest_loss', 'Largest loss', 'money'],
  ['max_consecutive_wins', 'Max consecutive wins', 'count'],
  ['max_consecutive_losses', 'Max consecutive losses', 'count'],
  ['average_holding_time_s', 'Average holding time', 'seconds'],
  ['exposure', 'Time in market', 'pct'],
  ['gross_profit', 'Gross profit', 'money'],
  ['gross_loss', 'Gross loss', 'money'],
  ['fees', 'Fees', 'money'],
  ['denied_orders', 'Orders denied by risk', 'count'],
  ['breaker_trips', 'Breaker trips', 'count'],
  ['bars', 'Bars', 'count'],
];

function holding(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(0)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

function metricText(v: unknown, kind: MetricKind): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  switch (kind) {
    case 'pct':
      return percent(v);
    case 'ratio':
      return v.toFixed(2);
    case 'money':
      return money(v);
    case 'count':
      return String(Math.round(v));
    case 'seconds':
      return holding(v);
  }
}

const signedMetrics = new Set(['net_pnl', 'total_return', 'expectancy', 'average_win', 'average_loss', 'largest_win', 'largest_loss', 'gross_profit', 'gross_loss', 'cagr']);

function MetricsTable({ m }: { m: BacktestResult['metrics'] }) {
  const undefinedReasons = m.undefined ?? {};
  return (
    <Panel title="Metrics" testId="backtest-metrics">
      <div className="backtest-metrics">
        {metricRows
          .filter(([k]) => k in m)
          .map(([k, label, kind]) => (
            <div key={k} className="backtest-metric" title={undefinedReasons[k] ? `undefined: ${undefinedReasons[k]}` : undefined}>
              <span className="muted">{label}</span>
              <span className={`num ${signedMetrics.has(k) ? signClass(m[k] as number) : ''}`}>
                {metricText(m[k], kind)}
                {undefinedReasons[k] ? <span className="muted small"> ({undefinedReasons[k].toLowerCase().replace(/_/g, ' ')})</span> : null}
              </span>
            </div>
          ))}
      </div>
    </Panel>
  );
}

// "2025-03-23 06:00 UTC" → "03-23 06:00" (the column header names the zone).
function shortTime(t: string): string {
  return utcTime(t, false).slice(5, 16);
}

function price(v: number | string): string {
  return decimal(typeof v === 'number' ? v.toFixed(2) : v);
}

function TradesTable({ trades }: { trades: Trade[] }) {
  const shown = trades.slice(-300).reverse();
  return (
    <Panel title={`Trades (${trades.length})`} testId="backtest-trades" empty={trades.length === 0 ? 'No trades' : null}>
      <div className="backtest-scroll tall">
        <table className="backtest-trades">
          <thead>
            <tr>
              <th>Side</th>
              <th>Entry / exit (UTC)</th>
              <th className="num">Prices (USDT)</th>
              <th className="num">Net P&L / return</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((t, i) => (
              <tr key={`${t.entry_time}-${i}`}>
                <td>
                  {t.side} <span className="muted small">{decimal(t.quantity)}</span>
                </td>
                <td className="small">
                  {shortTime(t.entry_time)}
                  <div className="muted">{shortTime(t.exit_time)}</div>
                </td>
                <td className="num small">
                  {price(t.entry_price)}
                  <div className="muted">{price(t.exit_price)}</div>
                </td>
                <td className={`num ${signClass(t.pnl)}`}>
                  {pnl(t.pnl)}
                  <div className="muted">{percent(t.return)}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {trades.length > shown.length ? <div className="muted small">The last {shown.length} trades; the HTML report lists them all.</div> : null}
    </Panel>
  );
}

// Opens the report in a new tab (the server accepts the access token in the link's query for this
// document only), or fetches it with the session's token and saves it as a file.
function ReportButton({ id }: { id: string }) {
  const open = async () => {
    await api.refresh(); // a fresh 15-minute token for the link
    const token = encodeURIComponent(api.accessToken() ?? '');
    window.open(`/api/backtests/${encodeURIComponent(id)}/report?access_token=${token}`, '_blank', 'noopener,noreferrer');
  };
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const get = () => fetch(`/api/backtests/${encodeURIComponent(id)}/report`, { headers: { Authorization: `Bearer ${api.accessToken() ?? ''}` } });
      let r = await get();
      if (r.status === 401 && (await api.refresh())) r = await get();
      if (!r.ok) throw new Error(`report: HTTP ${r.status}`);
      const blob = new Blob([await r.text()], { type: 'text/html' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `backtest-${id}.html`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {error ? <span className="field-error">{error}</span> : null}
      <button type="button" onClick={() => void open()} data-testid="open-report">
        Open HTML report
      </button>
      <button type="button" onClick={() => void download()} disabled={busy} data-testid="download-report">
        {busy ? 'Preparing…' : 'Download HTML report'}
      </button>
    </>
  );
}
