// REST client for the Ballast API (docs/api.md). Every call carries the access token; a 401 triggers one
// token refresh and a retry. Errors come back as ApiError with the server's {"error":{code,message,field}}
// plus the rest of the body (a risk denial's `decision`).

export interface ErrorBody {
  error: { code: string; message: string; field: string | null };
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  readonly body: ErrorBody | null;

  constructor(status: number, code: string, message: string, field: string | null, body: ErrorBody | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.body = body;
  }
}

// Any thrown value as an ApiError (a non-API failure becomes code CLIENT), for panels that show errors.
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e), null, null);
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

// Where the session's tokens live (sessionStorage: a closed tab logs out; tests can inject a memory store).
export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens | null): void;
}

export const sessionTokenStore: TokenStore = {
  get() {
    const raw = sessionStorage.getItem('ballast.tokens');
    if (!raw) return null;
    try {
      const t = JSON.parse(raw) as Tokens;
      return t.access_token && t.refresh_token ? t : null;
    } catch {
      return null;
    }
  },
  set(tokens) {
    if (tokens) sessionStorage.setItem('ballast.tokens', JSON.stringify(tokens));
    else sessionStorage.removeItem('ballast.tokens');
  },
};

type Listener = () => void;

export class ApiClient {
  private refreshing: Promise<boolean> | null = null;
  private readonly onLogout = new Set<Listener>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly base = '',
  ) {}

  accessToken(): string | null {
    return this.tokens.get()?.access_token ?? null;
  }

  // Called when the session ends (logout, or a refresh the server refuses).
  subscribeLogout(listener: Listener): () => void {
    this.onLogout.add(listener);
    return () => this.onLogout.delete(listener);
  }

  async login(username: string, password: string): Promise<void> {
    const body = await this.send<Tokens>('POST', '/api/auth/login', { username, password }, false);
    this.tokens.set({ access_token: body.access_token, refresh_token: body.refresh_token });
  }

  logout(): void {
    this.tokens.set(null);
    this.onLogout.forEach((l) => l());
  }

  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>('POST', path, body ?? {});
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', path, body);
  }
  del<T>(path: string): Promise<T> {
    return this.send<T>('DELETE', path);
  }

  // Exchanges the refresh token for a new pair; false (and logout) when refused. Concurrent callers
  // share one refresh.
  refresh(): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    const current = this.tokens.get();
    if (!current) return Promise.resolve(false);
    this.refreshing = this.send<Tokens>('POST', '/api/auth/refresh', { refresh_token: current.refresh_token }, false)
      .then((t) => {
        this.tokens.set({ access_token: t.access_token, refresh_token: t.refresh_token });
        return true;
      })
      .catch(() => {
        this.logout();
        return false;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private async send<T>(method: string, path: string, body?: unknown, authed = true, retried = false): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = authed ? this.accessToken() : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, 'NETWORK', `cannot reach the server: ${(e as Error).message}`, null, null);
    }
    if (response.status === 401 && authed && !retried && (await this.refresh())) {
      return this.send<T>(method, path, body, authed, true);
    }
    const text = await response.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (!response.ok) {
      const err = (parsed as ErrorBody | null)?.error;
      throw new ApiError(
        response.status,
        err?.code ?? `HTTP_${response.status}`,
        err?.message ?? (text || response.statusText),
        err?.field ?? null,
        (parsed as ErrorBody | null) ?? null,
      );
    }
    return parsed as T;
  }
}

export const api = new ApiClient(sessionTokenStore);
