// Overview: the trading state and emergency stop, equity and P&L, margin and the distance to liquidation,
// the equity curve (stored snapshots, then live), exposure by instrument and the live prices. Figures are
// the API's own (risk, account and positions channels; GET /api/risk for limit utilisation).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '../api/hooks';
import { EChart } from '../components/EChart';
import { Panel, Stat } from '../components/Panel';
import { TimeChart, type Series } from '../components/TimeChart';
import { TradingEmergency } from '../components/TradingEmergency';
import { useAccount, usePositions, usePriceHistory, useRisk } from '../components/TradingLive';
import { TradingPrices } from '../components/TradingPrices';
import { compact, decimal, epochMs, money, multiple, percent, pnl, signClass, toNumber } from '../lib/format';
import { equitySeries, exposureBySymbol, nearestLiquidation, type EquityPoint } from '../lib/TradingFigures';
import type { EmergencyStopResult, HistoryPoint, RiskStatus, TradingState } from '../lib/TradingTypes';

// The last day of market time (the endpoint answers the oldest snapshots first within `limit`, so the
// window is bounded by `from`; market time is the desk's clock, not this browser's).
function historyPath(marketTime: string | undefined): string | null {
  const now = epochMs(marketTime ?? null);
  return now === null ? null : `/api/risk/history?from=${now - 24 * 3600 * 1000}&limit=10000`;
}

export function Overview() {
  const risk = useRisk();
  const account = useAccount();
  const positions = usePositions();
  const prices = usePriceHistory();
  const status = useQuery<RiskStatus>('/api/risk', 5000);
  const desk = useQuery<{ market_time?: string }>('/api/status');
  const history = useQuery<{ points: HistoryPoint[] }>(desk.data ? historyPath(desk.data.market_time) ?? '/api/risk/history?limit=10000' : null);

  // The emergency stop's answer stands until the next risk snapshot.
  const [override, setOverride] = useState<{ state: TradingState; stop: boolean } | null>(null);
  const lastRisk = useRef(risk);
  useEffect(() => {
    if (risk !== lastRisk.current) {
      lastRisk.current = risk;
      setOverride(null);
    }
  }, [risk]);
  const onChanged = (r: EmergencyStopResult) => {
    setOverride({ state: r.trading_state, stop: r.engaged });
    status.reload();
  };

  const [live, setLive] = useState<EquityPoint[]>([]);
  useEffect(() => {
    const t = epochMs(risk?.performance?.ts);
    const v = toNumber(risk?.performance?.equity);
    if (t === null || v === null) return;
    setLive((xs) => (xs.length > 0 && xs[xs.length - 1].t >= t ? xs : [...xs.slice(-4999), { t, v }]));
  }, [risk]);

  const curve = useMemo<Series[]>(
    () => [{ name: 'Equity', color: '#4493f8', area: true, points: equitySeries(history.data?.points ?? [], live) }],
    [history.data, live],
  );

  const perf = risk?.performance;
  const state = override?.state ?? risk?.trading_state ?? null;
  const stopEngaged = override?.stop ?? risk?.emergency_stop ?? null;
  const margin = status.data?.limits.find((l) => l.limit === 'MARGIN');
  const liq = positions ? nearestLiquidation(positions) : null;
  const totalPnl = perf ? (toNumber(perf.realized_pnl) ?? 0) + (toNumber(perf.unrealized_pnl) ?? 0) : null;
  const exposure = useMemo(() => exposureBySymbol(positions ?? []), [positions]);

  const exposureOption = useMemo(
    () => ({
      grid: { left: 80, right: 24, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(2)} USDT` },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v) }, name: 'USDT', nameLocation: 'end' },
      yAxis: { type: 'category', data: exposure.map((e) => e.symbol), inverse: true },
      series: [
        {
          type: 'bar',
          name: 'Notional',
          data: exposure.map((e) => ({ value: e.notional, itemStyle: { color: e.notional >= 0 ? '#3fb950' : '#f85149' } })),
        },
      ],
    }),
    [exposure],
  );

  return (
    <>
      <TradingEmergency state={state} emergencyStop={stopEngaged} loading={risk === null} onChanged={onChanged} />
      <div className="grid cols-2">
        <Panel title="Equity and P&L" loading={risk === null || account === null}>
          <div className="stats">
            <Stat label="Equity" value={money(account?.equity, account?.currency)} testId="equity" />
            <Stat label="P&L today" value={pnl(perf?.daily_pnl)} className={signClass(perf?.daily_pnl)} testId="pnl-today" />
            <Stat label="P&L total (realised + unrealised)" value={pnl(totalPnl)} className={signClass(totalPnl)} testId="pnl-total" />
            <Stat label="Unrealised" value={pnl(perf?.unrealized_pnl)} className={signClass(perf?.unrealized_pnl)} />
            <Stat label="Realised" value={pnl(perf?.realized_pnl)} className={signClass(perf?.realized_pnl)} />
            <Stat label="Drawdown from peak" value={percent(perf?.drawdown, 3)} />
          </div>
        </Panel>
        <Panel title="Margin and liquidation" loading={account === null || (status.loading && !status.data)} error={status.data ? null : status.error}>
          <div className="stats">
            <Stat label="Margin usage" value={margin ? percent(margin.utilisation) : '—'} testId="margin-usage" />
            <Stat label="Available margin" value={money(account?.available_margin, account?.currency)} />
            <Stat label="Initial margin" value={money(account?.initial_margin, account?.currency)} />
            <Stat label="Open-order margin" value={money(account?.open_order_margin, account?.currency)} />
            <Stat label="Margin ratio (liquidation at 100 %)" value={percent(perf?.margin_ratio, 3)} />
            <Stat label="Leverage" value={multiple(perf?.leverage, 3)} />
          </div>
          {margin ? (
            <div className={`bar trading-bar ${margin.utilisation >= 1 ? 'over' : margin.utilisation >= 0.8 ? 'warn' : ''}`} title={`${percent(margin.utilisation)} of ${money(margin.max)}`}>
              <div style={{ width: `${Math.min(100, margin.utilisation * 100)}%` }} />
            </div>
          ) : null}
          <div className="trading-liq" data-testid="liquidation-distance">
            {liq ? (
              <>
                Nearest liquidation: <strong>{liq.symbol}</strong> at {decimal(String(liq.liquidationPrice))} USDT, mark{' '}
                {decimal(String(liq.mark))} USDT — <strong className={liq.distance < 0.1 ? 'neg' : ''}>{percent(liq.distance)}</strong> away
              </>
            ) : (
              <span className="muted">No position has a liquidation price.</span>
            )}
          </div>
        </Panel>
      </div>
      <div className="grid cols-2">
        <Panel title="Equity curve" loading={!history.data && !history.error && !desk.error} error={history.data ? null : (history.error ?? desk.error)} empty={curve[0].points.length === 0 ? 'No snapshots yet' : null}>
          <TimeChart series={curve} height={200} testId="equity-curve" />
        </Panel>
        <Panel title="Exposure" loading={risk === null || positions === null} empty={null}>
          <div className="stats">
            <Stat label="Gross exposure" value={money(risk?.gross_exposure)} testId="gross-exposure" />
            <Stat label="Net exposure" value={money(risk?.net_exposure)} className={signClass(risk?.net_exposure)} testId="net-exposure" />
          </div>
          {exposure.length === 0 ? (
            <div className="panel-empty">No open positions</div>
          ) : (
            <EChart option={exposureOption} height={Math.max(120, 50 * exposure.length + 40)} testId="exposure-bars" />
          )}
        </Panel>
      </div>
      <TradingPrices history={prices} />
    </>
  );
}
