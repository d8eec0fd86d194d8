// The alerts on /metrics: one series per firing alert, so Prometheus (and Grafana) see exactly
// what the dashboard shows, plus whether the last evaluation could read the line.
import type { AlertsResponse } from '@station/contracts';
import { Gauge, type Registry } from 'prom-client';

export function registerAlertGauges(registry: Registry, current: () => AlertsResponse): void {
  new Gauge({
    name: 'flashstation_alert_active',
    help: 'An alert the server is firing now (1), by kind, severity, station and slot (empty for a whole station).',
    labelNames: ['kind', 'severity', 'station', 'slot'],
    registers: [registry],
    collect() {
      this.reset();
      for (const alert of current().alerts)
        this.set(
          {
            kind: alert.kind,
            severity: alert.severity,
            station: alert.stationId,
            slot: alert.slot === null ? '' : String(alert.slot),
          },
          1,
        );
    },
  });
  new Gauge({
    name: 'flashstation_alerts_evaluation_ok',
    help: 'Whether the last alert evaluation read the line (0: alerts are unknown, maybe stale).',
    registers: [registry],
    collect() {
      this.set(current().state === 'ok' ? 1 : 0);
    },
  });
}
