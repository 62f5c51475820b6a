// React hooks over the REST client and the live feed.
import { createContext, useContext, useEffect, useRef, useState, useCallback } from 'react';
import { api, ApiError, asApiError } from './client';
import type { Channel, ConnectionState, LiveFeed, LiveMessage } from './live';

export const LiveFeedContext = createContext<LiveFeed | null>(null);

export function useLiveFeed(): LiveFeed {
  const feed = useContext(LiveFeedContext);
  if (!feed) throw new Error('useLiveFeed outside LiveFeedContext');
  return feed;
}

// Every message of `channel`, delivered to `handler` (kept current without resubscribing).
export function useChannel(channel: Channel, handler: (m: LiveMessage) => void): void {
  const feed = useLiveFeed();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => feed.subscribe(channel, (m) => ref.current(m)), [feed, channel]);
}

// The latest snapshot `data` of a channel that publishes whole snapshots (positions, account, risk).
export function useSnapshot<T>(channel: Channel): T | null {
  const [value, setValue] = useState<T | null>(null);
  useChannel(channel, (m) => {
    if (m.type === 'snapshot') setValue(m.data as T);
  });
  return value;
}

export function useConnectionState(): ConnectionState {
  const feed = useLiveFeed();
  const [state, setState] = useState(feed.connectionState());
  useEffect(() => feed.onState(setState), [feed]);
  return state;
}

export interface Query<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

// GET `path` (null: nothing yet), again every `refreshMs` when given, and on reload().
export function useQuery<T>(path: string | null, refreshMs?: number): Query<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    if (path === null) return;
    let cancelled = false;
    const load = () => {
      api
        .get<T>(path)
        .then((d) => {
          if (cancelled) return;
          setData(d);
          setError(null);
        })
        .catch((e: unknown) => {
          if (cancelled) return;
          setError(asApiError(e));
        })
        .finally(() => {
          if (!cancelled) setLoading(false);
        });
    };
    setLoading(true);
    load();
    const id = refreshMs ? window.setInterval(load, refreshMs) : null;
    return () => {
      cancelled = true;
      if (id !== null) window.clearInterval(id);
    };
  }, [path, refreshMs, tick]);

  return { data, error, loading, reload };
}
