import { useEffect, useMemo } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { SessionProvider, useSession } from './api/auth';
import { api } from './api/client';
import { LiveFeedContext } from './api/hooks';
import { LiveFeed } from './api/live';
import { Layout } from './components/Layout';
import { ThemeProvider } from './components/theme';
import { Backtests } from './pages/Backtests';
import { Breakers } from './pages/Breakers';
import { Config } from './pages/Config';
import { Execution } from './pages/Execution';
import { Login } from './pages/Login';
import { Orders } from './pages/Orders';
import { Overview } from './pages/Overview';
import { Positions } from './pages/Positions';
import { Risk } from './pages/Risk';
import { Venues } from './pages/Venues';

function Authenticated() {
  const feed = useMemo(() => new LiveFeed(() => api.accessToken()), []);
  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);
  return (
    <LiveFeedContext.Provider value={feed}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<Overview />} />
          <Route path="positions" element={<Positions />} />
          <Route path="positions/:venue/:symbol" element={<Positions />} />
          <Route path="orders" element={<Orders />} />
          <Route path="risk" element={<Risk />} />
          <Route path="breakers" element={<Breakers />} />
          <Route path="config" element={<Config />} />
          <Route path="backtests" element={<Backtests />} />
          <Route path="backtests/:id" element={<Backtests />} />
          <Route path="execution" element={<Execution />} />
          <Route path="venues" element={<Venues />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </LiveFeedContext.Provider>
  );
}

function Gate() {
  const { user, checking } = useSession();
  if (checking) return <div className="panel-loading">Loading…</div>;
  return user ? <Authenticated /> : <Login />;
}

export function App() {
  return (
    <ThemeProvider>
      <SessionProvider>
        <BrowserRouter>
          <Gate />
        </BrowserRouter>
      </SessionProvider>
    </ThemeProvider>
  );
}
