import { Panel } from '../components/Panel';

export function Orders() {
  return <Panel title="Orders" empty="Not built yet" />;
}
