// The session: who is logged in (GET /api/auth/me) and what their role allows.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from './client';

export type Role = 'viewer' | 'trader' | 'admin';

export interface User {
  name: string;
  role: Role;
}

const rank: Record<Role, number> = { viewer: 0, trader: 1, admin: 2 };

// True when `role` may do what `needed` may (admin ⊇ trader ⊇ viewer).
export function allows(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && rank[role] >= rank[needed];
}

interface Session {
  user: User | null;
  checking: boolean;
  login(username: string, password: string): Promise<void>;
  logout(): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(true);

  useEffect(() => {
    const off = api.subscribeLogout(() => setUser(null));
    if (!api.accessToken()) {
      setChecking(false);
      return off;
    }
    api
      .get<User>('/api/auth/me')
      .then(setUser)
      .catch(() => setUser(null))
      .finally(() => setChecking(false));
    return off;
  }, []);

  // Refresh the access token a little before it expires (15 min by default), while logged in.
  useEffect(() => {
    if (!user) return;
    const id = window.setInterval(() => void api.refresh(), 10 * 60 * 1000);
    return () => window.clearInterval(id);
  }, [user]);

  const login = useCallback(async (username: string, password: string) => {
    await api.login(username, password);
    setUser(await api.get<User>('/api/auth/me'));
  }, []);
  const logout = useCallback(() => api.logout(), []);

  return <SessionContext.Provider value={{ user, checking, login, logout }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

// True when the logged-in user has at least `needed` (trading buttons: 'trader'; configuration: 'admin').
export function useCan(needed: Role): boolean {
  return allows(useSession().user?.role, needed);
}
