// Venues: the live venue accounts of `[[venues]]` (GET /api/venues, again every 2 s) — connection, trading
// state, balances, request weight, reconciliation and the liquidation-price check — and for the chosen venue
// its positions, the last reconciliation's corrections and the check's comparisons. A trader can reconcile
// now and cancel every open order at the venue.
import { useState } from 'react';
import { api, asApiError } from '../api/client';
import { useCan } from '../api/auth';
import { useQuery } from '../api/hooks';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Panel, Stat } from '../components/Panel';
import { PositionHeadings, liquidationText as positionLiquidation } from '../components/PositionsTable';
import { decimal, money, pnl, signClass, utcTime } from '../lib/format';
import { connectionText, liquidationText, reconciliationText, weightText, type ReconciliationReport, type VenueStatus } from '../lib/Venues';

export function Venues() {
  const venues = useQuery<{ venues: VenueStatus[] }>('/api/venues', 2000);
  const [chosen, setChosen] = useState<string | null>(null);
  const list = venues.data?.venues ?? [];
  const current = list.find((v) => v.name === chosen) ?? list[0] ?? null;
  return (
    <>
      <h1>Venues</h1>
      <Panel
        title="Live venues"
        loading={venues.loading && !venues.data}
        error={venues.error}
        empty={venues.data && list.length === 0 ? 'No live venues are configured: add [[venues]] to ballast.toml (docs/venues.md).' : null}
        testId="venues-panel"
      >
        <table data-testid="venues-table">
          <thead>
            <tr>
              <th>Venue</th>
              <th>Connection</th>
              <th>Trading</th>
              <th className="num">Equity</th>
              <th className="num">Positions</th>
              <th className="num">Open orders</th>
              <th className="num" title="REST request weight spent in the venue's window">
                Request weight
              </th>
              <th>Reconciliation</th>
              <th title="The last check of our liquidation prices against the venue's">Liquidation</th>
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <tr
                key={v.name}
                data-testid={`venue-row-${v.name}`}
                className={current?.name === v.name ? 'backtest-selected' : ''}
                onClick={() => setChosen(v.name)}
                style={{ cursor: 'pointer' }}
              >
                <td>
                  {v.name}
                  <div className="muted small">
                    {v.kind} · {v.network}
                    {v.read_only ? ' · read-only' : ''}
                  </div>
                </td>
                <td data-testid={`venue-connection-${v.name}`}>
                  <span className={`badge ${connectionText(v) === 'connected' ? 'info' : 'warning'}`}>{connectionText(v)}</span>
                </td>
                <td>
                  {v.trading_state ? <span className={`badge ${v.trading_state}`}>{v.trading_state}</span> : '—'}
                  {v.emergency_stop ? <span className="badge critical">emergency stop</span> : null}
                </td>
                <td className="num">{v.equity ? money(v.equity, v.currency) : '—'}</td>
                <td className="num">{v.positions?.length ?? '—'}</td>
                <td className="num">{v.open_orders?.length ?? '—'}</td>
                <td className="num">{weightText(v)}</td>
                <td data-testid={`venue-reconciliation-${v.name}`} style={{ whiteSpace: 'normal' }}>
                  {reconciliationText(v)}
                </td>
                <td style={{ whiteSpace: 'normal' }}>{liquidationText(v.liquidation_check)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      {current ? <VenueDetail key={current.name} venue={current} onChanged={venues.reload} /> : null}
    </>
  );
}

function VenueDetail({ venue: v, onChanged }: { venue: VenueStatus; onChanged(): void }) {
  const canTrade = useCan('trader');
  const [busy, setBusy] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [message, setMessage] = useState<{ text: string; failed: boolean } | null>(null);
  const path = `/api/venues/${encodeURIComponent(v.name)}`;

  const reconcile = async () => {
    setBusy(true);
    try {
      const report = await api.post<ReconciliationReport>(`${path}/reconcile`);
      const n = report.corrections.length;
      setMessage({ text: `Reconciled at ${utcTime(report.at)}: ${n} correction${n === 1 ? '' : 's'}.`, failed: false });
      onChanged();
    } catch (e) {
      setMessage({ text: `Reconciliation failed: ${asApiError(e).message}`, failed: true });
    } finally {
      setBusy(false);
    }
  };
  const cancelAll = async () => {
    setBusy(true);
    try {
      const r = await api.del<{ cancel_requested: number }>(`${path}/orders`);
      setMessage({ text: `Cancel requested for ${r.cancel_requested} open order${r.cancel_requested === 1 ? '' : 's'}.`, failed: false });
      onChanged();
    } catch (e) {
      setMessage({ text: `Cancel failed: ${asApiError(e).message}`, failed: true });
    } finally {
      setBusy(false);
      setConfirmCancel(false);
    }
  };

  const actions = canTrade ? (
    <>
      <button type="button" onClick={reconcile} disabled={busy} data-testid="venue-reconcile">
        Reconcile now
      </button>
      <button type="button" className="danger" onClick={() => setConfirmCancel(true)} disabled={busy || !(v.open_orders?.length)} data-testid="venue-cancel-all">
        Cancel all orders
      </button>
    </>
  ) : null;
  const positions = v.positions ?? [];
  const report = v.reconciliation;
  const check = v.liquidation_check;

  return (
    <>
      <Panel title={`${v.name} (${v.account_id})`} actions={actions} testId="venue-detail">
        {message ? (
          <div className={message.failed ? 'form-error' : 'trading-note'} role="status" data-testid="venue-action-result">
            {message.text}
          </div>
        ) : null}
        <div className="stats">
          <Stat label="Equity" value={v.equity ? money(v.equity, v.currency) : '—'} />
          <Stat label="Wallet balance" value={v.wallet_balance ? money(v.wallet_balance, v.currency) : '—'} />
          <Stat label="Unrealised P&L" value={v.unrealized_pnl ? pnl(v.unrealized_pnl, v.currency) : '—'} className={signClass(v.unrealized_pnl ?? null)} />
          <Stat label="Available margin" value={v.available_margin ? money(v.available_margin, v.currency) : '—'} />
          <Stat label="Disconnects" value={v.disconnects ?? 0} />
        </div>
        <h3 style={{ marginTop: 16 }}>Positions</h3>
        {positions.length === 0 ? (
          <div className="panel-empty">No positions at this venue</div>
        ) : (
          <table data-testid="venue-positions">
            <thead>
              <tr>
                <PositionHeadings />
              </tr>
            </thead>
            <tbody>
              {positions.map((p) => (
                <tr key={p.instrument_id} data-testid={`venue-position-${p.symbol}`}>
                  <td>{p.symbol}</td>
                  <td>
                    <span className={`badge trading-side ${p.side}`}>{p.side}</span>
                  </td>
                  <td className="num">{decimal(p.quantity)}</td>
                  <td className="num">{decimal(p.avg_entry_price)}</td>
                  <td className="num">{p.mark_price ? decimal(p.mark_price) : '—'}</td>
                  <td className={`num ${signClass(p.unrealized_pnl)}`}>{pnl(p.unrealized_pnl, v.currency)}</td>
                  <td className="num">{positionLiquidation(p)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      <Panel title="Reconciliation" empty={report ? null : 'No reconciliation yet'} testId="venue-reconciliation">
        {report ? (
          <>
            <div className="muted small">
              {utcTime(report.at)}: the venue reported {report.venue_positions} position{report.venue_positions === 1 ? '' : 's'}, {report.venue_open_orders} open order
              {report.venue_open_orders === 1 ? '' : 's'} and {report.venue_fills} fill{report.venue_fills === 1 ? '' : 's'} ({report.fills_skipped} already recorded)
              {v.needs_reconciliation ? '; a new reconciliation is needed' : ''}.
            </div>
            {report.corrections.length === 0 ? (
              <div className="panel-empty">No corrections: the book matched the venue.</div>
            ) : (
              <table data-testid="venue-corrections">
                <thead>
                  <tr>
                    <th>Kind</th>
                    <th>Instrument</th>
                    <th>What changed</th>
                    <th>At</th>
                  </tr>
                </thead>
                <tbody>
                  {report.corrections.map((c, i) => (
                    <tr key={i}>
                      <td>{c.kind}</td>
                      <td>{c.instrument}</td>
                      <td>{c.detail}</td>
                      <td>{utcTime(c.at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {report.warnings.map((w, i) => (
              <div key={i} className="form-error">
                {w}
              </div>
            ))}
          </>
        ) : null}
      </Panel>
      <Panel title="Liquidation prices: the venue's against ours" empty={check ? (check.positions.length ? null : 'No positions to compare') : 'Not checked yet'} testId="venue-liquidation">
        {check ? (
          <>
            <div className="muted small">
              {utcTime(check.at)}, tolerance {decimal(check.tolerance_bps)} bp
            </div>
            <table>
              <thead>
                <tr>
                  <th>Instrument</th>
                  <th className="num">Venue</th>
                  <th className="num">Ours</th>
                  <th className="num">Difference (bp)</th>
                  <th>Verdict</th>
                  <th>Note</th>
                </tr>
              </thead>
              <tbody>
                {check.positions.map((c) => (
                  <tr key={c.instrument}>
                    <td>{c.instrument}</td>
                    <td className="num">{c.venue_liquidation_price ? decimal(c.venue_liquidation_price) : '—'}</td>
                    <td className="num">{c.our_liquidation_price ? decimal(c.our_liquidation_price) : c.our_outcome ?? '—'}</td>
                    <td className="num">{c.difference_bps ? decimal(c.difference_bps) : '—'}</td>
                    <td>
                      <span className={`badge ${c.verdict === 'DIFFERS' ? 'critical' : c.verdict === 'AGREES' ? 'info' : ''}`}>{c.verdict}</span>
                    </td>
                    <td className="small">{c.note}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </Panel>
      {confirmCancel ? (
        <ConfirmDialog title={`Cancel every open order at ${v.name}?`} confirmLabel="Cancel all orders" danger busy={busy} onConfirm={cancelAll} onCancel={() => setConfirmCancel(false)}>
          {v.open_orders?.length ?? 0} open order{v.open_orders?.length === 1 ? '' : 's'} will be canceled at the venue.
        </ConfirmDialog>
      ) : null}
    </>
  );
}
