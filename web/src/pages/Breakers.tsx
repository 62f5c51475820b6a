import { Panel } from '../components/Panel';

export function Breakers() {
  return <Panel title="Breakers" empty="Not built yet" />;
}
