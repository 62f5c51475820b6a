// The live feed: one WebSocket to /ws shared by every panel. Panels subscribe to channels (docs/api.md:
// prices, positions, orders, risk, alerts, circuit_breakers, account) and receive each channel's
// messages: first {"channel","type":"snapshot","data"}, then updates. The socket reconnects with
// exponential backoff (1 s doubling to 15 s) and resubscribes; each reconnect brings fresh snapshots.

export type Channel = 'prices' | 'positions' | 'orders' | 'risk' | 'alerts' | 'circuit_breakers' | 'account';

export interface LiveMessage {
  channel: Channel;
  type: string;
  data?: unknown;
  event?: string;
  [key: string]: unknown;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';
type Handler = (message: LiveMessage) => void;

export class LiveFeed {
  private socket: WebSocket | null = null;
  private readonly handlers = new Map<Channel, Set<Handler>>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private state: ConnectionState = 'closed';
  private retryMs = 1000;
  private retryTimer: number | null = null;
  private stopped = true;

  constructor(private readonly token: () => string | null) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket?.close();
    this.socket = null;
    this.setState('closed');
  }

  connectionState(): ConnectionState {
    return this.state;
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  // Receives every message of `channel` (the snapshot first). Returns the unsubscribe function.
  subscribe(channel: Channel, handler: Handler): () => void {
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    // Also when the channel is already subscribed: the server answers with the channel's snapshot, which a
    // newly mounted panel needs (the other handlers just see a fresh snapshot).
    this.send({ op: 'subscribe', channels: [channel] });
    return () => {
      const s = this.handlers.get(channel);
      if (!s) return;
      s.delete(handler);
      if (s.size === 0) {
        this.handlers.delete(channel);
        this.send({ op: 'unsubscribe', channels: [channel] });
      }
    };
  }

  private send(message: unknown): void {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    this.stateListeners.forEach((l) => l(s));
  }

  private connect(): void {
    const token = this.token();
    if (!token || this.stopped) return;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`);
    this.socket = socket;
    this.setState('connecting');
    socket.onopen = () => {
      this.retryMs = 1000;
      this.setState('open');
      const channels = [...this.handlers.keys()];
      if (channels.length > 0) this.send({ op: 'subscribe', channels });
    };
    socket.onmessage = (ev) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(String(ev.data)) as LiveMessage;
      } catch {
        return;
      }
      if (!message.channel) return; // subscribed / pong / error acknowledgements
      this.handlers.get(message.channel)?.forEach((h) => h(message));
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setState('closed');
      if (this.stopped) return;
      this.retryTimer = window.setTimeout(() => {
        this.retryTimer = null;
        this.connect();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 15000);
    };
  }
}
