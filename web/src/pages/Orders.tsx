// Orders: the order ticket (risk preview, then send), the open orders live from the orders channel, and the
// order history with filters.
import { useEffect, useRef, useState } from 'react';
import { useChannel } from '../api/hooks';
import { OrderTicketForm } from '../components/OrderTicketForm';
import { OpenOrders, OrderHistory } from '../components/OrderTables';
import { usePriceHistory } from '../components/TradingLive';
import { reduceOpenOrders } from '../lib/OrderEvents';
import type { Order } from '../lib/TradingTypes';

export function Orders() {
  const [open, setOpen] = useState<Order[] | null>(null);
  const [version, setVersion] = useState(0);
  const pending = useRef<number | null>(null);
  useChannel('orders', (m) => {
    if (m.type !== 'snapshot' && m.type !== 'order') return; // fills repeat the order event; algo is not ours
    setOpen((cur) => reduceOpenOrders(cur ?? [], m));
    // Refresh the history at most once a second while events arrive.
    if (m.type === 'order' && pending.current === null) {
      pending.current = window.setTimeout(() => {
        pending.current = null;
        setVersion((v) => v + 1);
      }, 1000);
    }
  });
  useEffect(
    () => () => {
      if (pending.current !== null) window.clearTimeout(pending.current);
    },
    [],
  );
  const prices = usePriceHistory();
  const symbols = Object.keys(prices).sort();
  return (
    <>
      <OrderTicketForm symbols={symbols.length > 0 ? symbols : ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']} />
      <OpenOrders orders={open} symbols={symbols} />
      <OrderHistory symbols={symbols} version={version} />
    </>
  );
}
