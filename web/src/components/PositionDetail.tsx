// One instrument's position (/positions/:venue/:symbol): its figures (live from the positions channel, or
// GET /api/positions/{venue}/{symbol} while flat) and a price chart of the closes seen since the dashboard
// opened (the API has no endpoint for past bars) with the entry price as a line.
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '../api/hooks';
import { decimal, money, multiple, pnl, signClass, toNumber, utcTime } from '../lib/format';
import type { Position } from '../lib/TradingTypes';
import { Panel, Stat } from './Panel';
import { baseAsset, PositionClose } from './PositionClose';
import { liquidationText } from './PositionsTable';
import { TimeChart, type Series } from './TimeChart';
import { usePriceHistory } from './TradingLive';

export function PositionDetail({ venue, symbol, positions }: { venue: string; symbol: string; positions: Position[] | null }) {
  const stored = useQuery<Position>(`/api/positions/${encodeURIComponent(venue)}/${encodeURIComponent(symbol)}`);
  const live = positions?.find((p) => p.venue === venue && p.symbol === symbol);
  // The positions channel lists open positions only: once it has spoken, absence means flat.
  const position = live ?? (positions !== null ? (stored.data && toNumber(stored.data.quantity) !== 0 ? null : stored.data) : stored.data);
  const flat = !position || toNumber(position.quantity) === 0;
  const history = usePriceHistory();
  const closes = history[symbol];
  const [message, setMessage] = useState<{ text: string; failed: boolean } | null>(null);

  const entry = flat ? null : toNumber(position?.avg_entry_price);
  const series = useMemo<Series[]>(() => {
    const points = (closes ?? []).map((p) => ({ t: p.t, v: p.close }));
    const out: Series[] = [{ name: symbol, color: '#4493f8', points }];
    if (entry !== null && points.length > 0) {
      out.push({
        name: 'Entry',
        color: '#d29922',
        points: [
          { t: points[0].t, v: entry },
          { t: points[points.length - 1].t, v: entry },
        ],
      });
    }
    return out;
  }, [closes, entry, symbol]);

  return (
    <>
      <div className="row">
        <Link to="/positions">← All positions</Link>
        <h1 className="trading-title">
          {symbol} <span className="muted small">{venue}</span>
        </h1>
      </div>
      <Panel
        title="Position"
        loading={stored.loading && !stored.data && !live}
        error={live || stored.data ? null : stored.error}
        actions={position && !flat ? <PositionClose position={position} onDone={(text, failed) => setMessage({ text, failed })} /> : null}
        testId="position-detail"
      >
        {message ? (
          <div className={message.failed ? 'form-error' : 'trading-note'} role="status">
            {message.text}
          </div>
        ) : null}
        {flat ? (
          <div className="panel-empty">Flat: no open position in {symbol}.</div>
        ) : position ? (
          <div className="stats">
            <Stat label="Side" value={<span className={`badge trading-side ${position.side}`}>{position.side}</span>} />
            <Stat label="Size" value={`${decimal(position.quantity)} ${baseAsset(symbol)}`} testId="detail-size" />
            <Stat label="Entry" value={`${decimal(position.avg_entry_price)} USDT`} />
            <Stat label="Mark" value={`${decimal(position.mark_price)} USDT`} />
            <Stat label="Notional" value={money(position.notional)} />
            <Stat label="Unrealised P&L" value={pnl(position.unrealized_pnl)} className={signClass(position.unrealized_pnl)} />
            <Stat label="Realised P&L" value={pnl(position.realized_pnl)} className={signClass(position.realized_pnl)} />
            <Stat label="Liquidation" value={liquidationText(position)} />
            <Stat label="Margin" value={`${money(position.initial_margin)} (${position.margin_mode.toLowerCase()})`} />
            <Stat label="Leverage" value={multiple(position.leverage, 0)} />
          </div>
        ) : null}
        {position?.ts ? <div className="muted small">As of {utcTime(position.ts)}</div> : null}
      </Panel>
      <Panel title={`${symbol} price (USDT)`} loading={!closes} empty={closes && closes.length < 2 ? 'Waiting for bars…' : null}>
        <TimeChart series={series} height={340} testId="position-chart" />
        <div className="muted small">
          Closes since the dashboard opened ({closes?.length ?? 0} bars){entry !== null ? '; the amber line is the entry price' : ''}.
        </div>
      </Panel>
    </>
  );
}
