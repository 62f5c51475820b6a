// The open positions, live from the positions channel, with each one's share of the portfolio VaR
// (parametric normal component VaR / total, GET /api/risk/analysis every 10 s) and a Close button.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '../api/hooks';
import { decimal, money, multiple, percent, pnl, signClass } from '../lib/format';
import { varShares } from '../lib/TradingFigures';
import type { Position, RiskAnalysis } from '../lib/TradingTypes';
import { Panel } from './Panel';
import { baseAsset, PositionClose } from './PositionClose';

export function liquidationText(p: Position): string {
  if (p.liquidation_price) return `${decimal(p.liquidation_price)} USDT`;
  if (p.liquidation === 'NEVER') return 'never';
  if (p.liquidation === 'AT_ANY_PRICE') return 'at any price';
  return '—';
}

// The headings of a position's first columns, shared by this table and a venue's positions (Venues page).
export function PositionHeadings() {
  return (
    <>
      <th>Instrument</th>
      <th>Side</th>
      <th className="num">Size</th>
      <th className="num">Entry</th>
      <th className="num">Mark</th>
      <th className="num">Unrealised P&L</th>
      <th className="num">Liquidation</th>
    </>
  );
}

export function PositionsTable({ positions }: { positions: Position[] | null }) {
  const analysis = useQuery<RiskAnalysis>('/api/risk/analysis?confidence=0.95&horizon_days=1', 10000);
  const shares = varShares(analysis.data);
  const [message, setMessage] = useState<{ text: string; failed: boolean } | null>(null);
  const needsHistory = analysis.error?.code === 'INSUFFICIENT_HISTORY';

  const varCell = (symbol: string) => {
    if (needsHistory) return <span className="muted">needs more history</span>;
    if (analysis.error) return <span className="muted" title={analysis.error.message}>unavailable</span>;
    if (!analysis.data) return <span className="muted">…</span>;
    const s = shares.get(symbol);
    return s === undefined ? '—' : percent(s, 1);
  };

  return (
    <Panel title="Open positions" loading={positions === null} empty={positions && positions.length === 0 ? 'No open positions' : null} testId="positions-panel">
      {message ? (
        <div className={message.failed ? 'form-error' : 'trading-note'} role="status" data-testid="close-result">
          {message.text}
        </div>
      ) : null}
      <table data-testid="positions-table">
        <thead>
          <tr>
            <PositionHeadings />
            <th className="num">Margin</th>
            <th className="num">Leverage</th>
            <th className="num" title="Component VaR / portfolio VaR, parametric normal, 95 %, 1 day">
              VaR share
            </th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(positions ?? []).map((p) => (
            <tr key={`${p.venue}/${p.symbol}`} data-testid={`position-row-${p.symbol}`}>
              <td>
                <Link to={`/positions/${encodeURIComponent(p.venue)}/${encodeURIComponent(p.symbol)}`}>{p.symbol}</Link> <span className="muted small">{p.venue}</span>
              </td>
              <td>
                <span className={`badge trading-side ${p.side}`}>{p.side}</span>
              </td>
              <td className="num" data-testid={`position-size-${p.symbol}`}>
                {decimal(p.quantity)} {baseAsset(p.symbol)}
              </td>
              <td className="num">{decimal(p.avg_entry_price)} USDT</td>
              <td className="num">{decimal(p.mark_price)} USDT</td>
              <td className={`num ${signClass(p.unrealized_pnl)}`}>{pnl(p.unrealized_pnl)}</td>
              <td className="num">{liquidationText(p)}</td>
              <td className="num">{money(p.initial_margin)}</td>
              <td className="num">{multiple(p.leverage, 0)}</td>
              <td className="num">{varCell(p.symbol)}</td>
              <td>
                <PositionClose position={p} onDone={(text, failed) => setMessage({ text, failed })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {analysis.data?.note ? <div className="muted small">{analysis.data.note}</div> : null}
    </Panel>
  );
}
