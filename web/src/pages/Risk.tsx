import { Panel } from '../components/Panel';

export function Risk() {
  return <Panel title="Risk" empty="Not built yet" />;
}
