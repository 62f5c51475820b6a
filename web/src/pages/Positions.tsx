// Positions: the live table (/positions) and one instrument's detail (/positions/:venue/:symbol).
import { useParams } from 'react-router-dom';
import { PositionDetail } from '../components/PositionDetail';
import { PositionsTable } from '../components/PositionsTable';
import { usePositions } from '../components/TradingLive';

export function Positions() {
  const { venue, symbol } = useParams();
  const positions = usePositions();
  if (venue && symbol) return <PositionDetail key={`${venue}/${symbol}`} venue={venue} symbol={symbol} positions={positions} />;
  return <PositionsTable positions={positions} />;
}
