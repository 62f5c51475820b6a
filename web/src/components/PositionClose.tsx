// Close one position (traders): confirm, then POST /api/positions/{venue}/{symbol}/close — the symbol's
// orders are canceled and a reduce-only market order closes it at the next bar.
import { useCallback, useState } from 'react';
import { useCan } from '../api/auth';
import { api, ApiError } from '../api/client';
import { decimal } from '../lib/format';
import type { Position } from '../lib/TradingTypes';
import { ConfirmDialog } from './ConfirmDialog';

export interface CloseResult {
  ok: boolean;
  close_orders: number;
  orders_canceled: number;
  error: string;
}

export function baseAsset(symbol: string): string {
  return symbol.replace(/(USDT|USDC|USD|BUSD)$/, '') || symbol;
}

export function PositionClose({ position, onDone }: { position: Position; onDone(message: string, failed: boolean): void }) {
  const canTrade = useCan('trader');
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  // Stable: ConfirmDialog refocuses its Cancel button whenever onCancel changes, and live data re-renders us.
  const dismiss = useCallback(() => setOpen(false), []);
  if (!canTrade) return null;
  const confirm = async () => {
    setBusy(true);
    try {
      const r = await api.post<CloseResult>(`/api/positions/${encodeURIComponent(position.venue)}/${encodeURIComponent(position.symbol)}/close`, {});
      onDone(
        r.ok
          ? `${position.symbol}: closing order sent (${r.close_orders} order${r.close_orders === 1 ? '' : 's'}), ${r.orders_canceled} open order${r.orders_canceled === 1 ? '' : 's'} canceled.`
          : `${position.symbol}: ${r.error || 'not closed'}`,
        !r.ok,
      );
      setOpen(false);
    } catch (e) {
      onDone(`${position.symbol}: ${e instanceof ApiError ? `${e.message} (${e.code})` : String(e)}`, true);
      setOpen(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="danger" onClick={() => setOpen(true)} data-testid={`close-${position.symbol}`} aria-label={`Close ${position.symbol} position`}>
        Close
      </button>
      {open ? (
        <ConfirmDialog title={`Close ${position.symbol}?`} confirmLabel="Close position" danger busy={busy} onConfirm={() => void confirm()} onCancel={dismiss}>
          <p>
            {position.side} {decimal(position.quantity.replace(/^-/, ''))} {baseAsset(position.symbol)} on {position.venue}: its open orders are canceled and a
            reduce-only market order closes the position at the next bar.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
