// Live data hooks shared by the Overview, Positions and Orders pages.
//
// Price history: the API has no endpoint for past bars, so the closes of the `prices` channel are kept
// client-side from the moment the dashboard opened, in one store for the whole tab: a chart opened later
// (a position's detail) starts with what the overview already saw.
import { useEffect, useState } from 'react';
import { useChannel, useSnapshot } from '../api/hooks';
import { appendBars, type PriceHistory } from '../lib/TradingFigures';
import type { Bar, Position, RiskSnapshot, AccountSnapshot } from '../lib/TradingTypes';

let priceHistory: PriceHistory = {};
const listeners = new Set<(h: PriceHistory) => void>();

function publish(bars: Bar[]): void {
  const next = appendBars(priceHistory, bars);
  if (next === priceHistory) return;
  priceHistory = next;
  listeners.forEach((l) => l(next));
}

// Closes per symbol since the dashboard opened, updated on every bar.
export function usePriceHistory(): PriceHistory {
  const [history, setHistory] = useState(priceHistory);
  useChannel('prices', (m) => {
    if ((m.type === 'snapshot' || m.type === 'bars') && Array.isArray(m.data)) publish(m.data as Bar[]);
  });
  useEffect(() => {
    listeners.add(setHistory);
    setHistory(priceHistory);
    return () => {
      listeners.delete(setHistory);
    };
  }, []);
  return history;
}

export const usePositions = () => useSnapshot<Position[]>('positions');
export const useRisk = () => useSnapshot<RiskSnapshot>('risk');
export const useAccount = () => useSnapshot<AccountSnapshot>('account');
