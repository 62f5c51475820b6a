// The frame around every page: navigation, the live-connection indicator, the user and role, theme
// switch and logout.
import { NavLink, Outlet } from 'react-router-dom';
import { useSession } from '../api/auth';
import { useConnectionState } from '../api/hooks';
import { useTheme } from './theme';

const pages: [string, string][] = [
  ['/', 'Overview'],
  ['/positions', 'Positions'],
  ['/orders', 'Orders'],
  ['/risk', 'Risk'],
  ['/breakers', 'Circuit breakers'],
  ['/config', 'Configuration'],
  ['/backtests', 'Backtests'],
  ['/execution', 'Execution'],
  ['/venues', 'Venues'],
];

export function Layout() {
  const { user, logout } = useSession();
  const connection = useConnectionState();
  const { theme, toggle } = useTheme();
  return (
    <div className="app">
      <nav className="sidebar">
        <div className="brand">Ballast</div>
        {pages.map(([to, label]) => (
          <NavLink key={to} to={to} end={to === '/'} className={({ isActive }) => (isActive ? 'active' : '')}>
            {label}
          </NavLink>
        ))}
        <div className="sidebar-footer">
          <div className={`connection ${connection}`} data-testid="connection-state" title="Live data connection">
            ● {connection === 'open' ? 'live' : connection}
          </div>
          <div className="user" data-testid="current-user">
            {user?.name} <span className="muted">({user?.role})</span>
          </div>
          <button type="button" onClick={toggle}>
            {theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>
          <button type="button" onClick={logout}>
            Log out
          </button>
        </div>
      </nav>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
