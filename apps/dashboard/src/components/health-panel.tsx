import type { DependencyHealth } from '@station/contracts';
import type { HealthResult } from '../lib/health-client';
import styles from './health-panel.module.css';

type ItemState = 'ok' | 'down' | 'unknown';

function Item(props: {
  name: string;
  testId: string;
  state: ItemState;
  detail?: string | undefined;
}) {
  const label = { ok: 'OK', down: 'DOWN', unknown: '—' }[props.state];
  return (
    <li className={styles.item} data-testid={props.testId} data-state={props.state}>
      <span className={styles.name}>{props.name}</span>
      <span className={styles.value}>{label}</span>
      {props.detail && <span className={styles.detail}>{props.detail}</span>}
    </li>
  );
}

function dependencyState(dep: DependencyHealth | undefined): ItemState {
  if (!dep) return 'unknown';
  return dep.ok ? 'ok' : 'down';
}

/** Server, Postgres and Redis at a glance; Postgres and Redis are as the server last reported. */
export function HealthPanel({
  health,
  checkedAt,
}: {
  health: HealthResult | null;
  checkedAt: number | null;
}) {
  const report = health?.kind === 'ok' ? health.health : undefined;
  const serverState: ItemState = !health
    ? 'unknown'
    : health.kind === 'unreachable'
      ? 'down'
      : 'ok';
  return (
    <section className={styles.panel} data-testid="health-panel" aria-label="System health">
      <ul className={styles.items}>
        <Item name="Server" testId="health-server" state={serverState} />
        <Item
          name="Postgres"
          testId="health-postgres"
          state={dependencyState(report?.postgres)}
          detail={report?.postgres.error}
        />
        <Item
          name="Redis"
          testId="health-redis"
          state={dependencyState(report?.redis)}
          detail={report?.redis.error}
        />
      </ul>
      <p className={styles.checked}>
        {checkedAt ? `Checked ${new Date(checkedAt).toLocaleTimeString()}` : 'Checking…'}
      </p>
    </section>
  );
}
