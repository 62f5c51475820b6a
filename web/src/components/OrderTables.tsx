// Order tables of the Orders page: the open orders (live from the orders channel) with Cancel and
// Cancel all, and the order history (GET /api/orders with filters and paging).
import { Fragment, useCallback, useEffect, useState } from 'react';
import { useCan } from '../api/auth';
import { api, ApiError } from '../api/client';
import { useQuery } from '../api/hooks';
import { decimal, utcTime } from '../lib/format';
import { isOpen } from '../lib/OrderEvents';
import { orderHistoryPath, pageSize } from '../lib/OrderHistoryQuery';
import type { Order, OrderPage } from '../lib/TradingTypes';
import { ConfirmDialog } from './ConfirmDialog';
import { Panel } from './Panel';
import { baseAsset } from './PositionClose';

function statusClass(status: string): string {
  if (status === 'CANCELED' || status === 'EXPIRED') return '';
  return status;
}

function OrderCells({ o }: { o: Order }) {
  return (
    <>
      <td className="small">{utcTime(o.created)}</td>
      <td className="small">{o.id}</td>
      <td>{o.symbol}</td>
      <td className={o.side === 'BUY' ? 'pos' : 'neg'}>{o.side}</td>
      <td>
        {o.type} <span className="muted small">{o.time_in_force}</span>
        {o.reduce_only ? <span className="muted small"> reduce-only</span> : null}
        {o.post_only ? <span className="muted small"> post-only</span> : null}
      </td>
      <td className="num">
        {decimal(o.quantity)} {baseAsset(o.symbol)}
      </td>
      <td className="num">{decimal(o.filled_quantity)}</td>
      <td className="num">{o.price ? `${decimal(o.price)} USDT` : 'market'}</td>
      <td className="num">{o.trigger_price ? `${decimal(o.trigger_price)} USDT` : '—'}</td>
      <td className="num">{o.avg_fill_price ? `${decimal(o.avg_fill_price)} USDT` : '—'}</td>
      <td>
        <span className={`badge ${statusClass(o.status)}`} title={o.reason || undefined}>
          {o.status}
        </span>

      </td>
    </>
  );
}

const columns = 12;

// The venue's or the risk engine's reason (a denial, a cancel), on its own line under the order.
function ReasonRow({ o }: { o: Order }) {
  if (!o.reason) return null;
  return (
    <tr className="trading-reason-row">
      <td colSpan={columns} className="muted small">
        ↳ {o.reason}
      </td>
    </tr>
  );
}

const headers = (
  <>
    <th>Created</th>
    <th>ID</th>
    <th>Instrument</th>
    <th>Side</th>
    <th>Type / TIF</th>
    <th className="num">Quantity</th>
    <th className="num">Filled</th>
    <th className="num">Price</th>
    <th className="num">Trigger</th>
    <th className="num">Avg fill</th>
    <th>Status</th>
  </>
);

function useCancel(onMessage: (text: string, failed: boolean) => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const cancel = async (o: Order) => {
    setBusy(o.id);
    try {
      await api.del(`/api/orders/${encodeURIComponent(o.id)}`);
      onMessage(`Cancel requested for ${o.id}.`, false);
    } catch (e) {
      onMessage(`${o.id}: ${e instanceof ApiError ? `${e.message} (${e.code})` : String(e)}`, true);
    } finally {
      setBusy(null);
    }
  };
  return { busy, cancel };
}

export function OpenOrders({ orders, symbols }: { orders: Order[] | null; symbols: string[] }) {
  const canTrade = useCan('trader');
  const [message, setMessage] = useState<{ text: string; failed: boolean } | null>(null);
  const { busy, cancel } = useCancel((text, failed) => setMessage({ text, failed }));
  const [confirmAll, setConfirmAll] = useState(false);
  const [allSymbol, setAllSymbol] = useState('');
  const [allBusy, setAllBusy] = useState(false);
  // Stable: ConfirmDialog refocuses its Cancel button whenever onCancel changes, and live data re-renders us.
  const dismissAll = useCallback(() => setConfirmAll(false), []);

  const cancelAll = async () => {
    setAllBusy(true);
    try {
      await api.del(`/api/orders${allSymbol ? `?symbol=${encodeURIComponent(allSymbol)}` : ''}`);
      setMessage({ text: `Cancel requested for every open order${allSymbol ? ` in ${allSymbol}` : ''}.`, failed: false });
    } catch (e) {
      setMessage({ text: e instanceof ApiError ? `${e.message} (${e.code})` : String(e), failed: true });
    } finally {
      setAllBusy(false);
      setConfirmAll(false);
    }
  };

  return (
    <Panel
      title={`Open orders${orders ? ` (${orders.length})` : ''}`}
      loading={orders === null}

      actions={
        canTrade && orders && orders.length > 0 ? (
          <button type="button" className="danger" onClick={() => setConfirmAll(true)} data-testid="cancel-all">
            Cancel all…
          </button>
        ) : null
      }
      testId="open-orders"
    >
      {message ? (
        <div className={message.failed ? 'form-error' : 'trading-note'} role="status">
          {message.text}
        </div>
      ) : null}
      {orders && orders.length === 0 ? <div className="panel-empty">No open orders</div> : null}
      {orders && orders.length > 0 ? (
        <table>
          <thead>
            <tr>
              {headers}
              <th />
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id} data-testid={`open-order-${o.id}`}>
                <OrderCells o={o} />
                <td>
                  {canTrade ? (
                    <button type="button" onClick={() => void cancel(o)} disabled={busy === o.id} aria-label={`Cancel order ${o.id}`}>
                      Cancel
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {confirmAll ? (
        <ConfirmDialog title="Cancel all open orders?" confirmLabel="Cancel orders" danger busy={allBusy} onConfirm={() => void cancelAll()} onCancel={dismissAll}>
          <label>
            Instrument
            <select value={allSymbol} onChange={(e) => setAllSymbol(e.target.value)} aria-label="Instrument to cancel">
              <option value="">All instruments</option>
              {symbols.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        </ConfirmDialog>
      ) : null}
    </Panel>
  );
}

const statuses = ['', 'open', 'FILLED', 'PARTIALLY_FILLED', 'CANCELED', 'REJECTED', 'DENIED', 'EXPIRED'];
export function OrderHistory({ symbols, version }: { symbols: string[]; version: number }) {
  const canTrade = useCan('trader');
  const [status, setStatus] = useState('');
  const [symbol, setSymbol] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const [message, setMessage] = useState<{ text: string; failed: boolean } | null>(null);
  const { busy, cancel } = useCancel((text, failed) => setMessage({ text, failed }));
  const page = useQuery<OrderPage>(orderHistoryPath({ status, symbol, from, to, offset }));
  // `version` changes with order events: fetch the page again.
  const { reload } = page;
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  const rows = page.data?.orders ?? [];
  const filter = (fn: () => void) => {
    fn();
    setOffset(0);
  };

  return (
    <Panel title="Order history" loading={page.loading && !page.data} error={page.error} testId="order-history">
      <div className="row trading-filters">
        <label>
          Status
          <select value={status} onChange={(e) => filter(() => setStatus(e.target.value))} aria-label="Status filter">
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s === '' ? 'any' : s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Instrument
          <select value={symbol} onChange={(e) => filter(() => setSymbol(e.target.value))} aria-label="Instrument filter">
            <option value="">any</option>
            {symbols.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          From (UTC)
          <input type="datetime-local" value={from} onChange={(e) => filter(() => setFrom(e.target.value))} aria-label="From (UTC)" />
        </label>
        <label>
          To (UTC)
          <input type="datetime-local" value={to} onChange={(e) => filter(() => setTo(e.target.value))} aria-label="To (UTC)" />
        </label>
        <span className="spacer" />
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))} aria-label="Previous page">
          ← Newer
        </button>
        <span className="muted small">
          {rows.length > 0 ? `${offset + 1}–${offset + rows.length}` : '0'}
        </span>
        <button type="button" disabled={rows.length < pageSize} onClick={() => setOffset(offset + pageSize)} aria-label="Next page">
          Older →
        </button>
      </div>
      {message ? (
        <div className={message.failed ? 'form-error' : 'trading-note'} role="status">
          {message.text}
        </div>
      ) : null}
      {rows.length === 0 ? (
        <div className="panel-empty">No orders match.</div>
      ) : (
        <table>
          <thead>
            <tr>
              {headers}
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <Fragment key={o.id}>
                <tr className={o.reason ? 'trading-has-reason' : ''}>
                  <OrderCells o={o} />
                  <td>
                    {canTrade && isOpen(o) ? (
                      <button type="button" onClick={() => void cancel(o)} disabled={busy === o.id} aria-label={`Cancel order ${o.id}`}>
                        Cancel
                      </button>
                    ) : null}
                  </td>
                </tr>
                <ReasonRow o={o} />
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
