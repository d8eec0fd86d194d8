// Evaluates the alerts on a timer (ALERT_EVALUATE_MS), each evaluation with a deadline. A read
// that fails or is late makes the state `unknown` (the last known alerts stay shown) and never
// throws: the line's alerts must not take the server down with the database.
import type { AlertChangedEvent, AlertsResponse, AlertThresholds } from '@station/contracts';
import type { Logger } from '@station/logger';
import { withDeadline } from '../flash/with-deadline';
import { evaluateRules } from './alert-rules';
import { advance, firingAlerts, type AlertBook } from './alert-transitions';
import { readAlertInputs, type AlertSources } from './read-alert-inputs';

export interface AlertEvaluatorOptions {
  sources: AlertSources;
  thresholds: AlertThresholds;
  intervalMs: number;
  /** How long one evaluation may take before its state is unknown. */
  deadlineMs: number;
  logger: Logger;
  /** Called when an alert fired or cleared, or the state changed. */
  changed: (event: AlertChangedEvent) => void;
  now?: () => Date;
}

export class AlertEvaluator {
  private book: AlertBook = new Map();
  private status: AlertsResponse = { state: 'ok', evaluatedAt: null, error: null, alerts: [] };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: AlertEvaluatorOptions) {}

  /** The alerts firing as of the last evaluation. */
  current(): AlertsResponse {
    return this.status;
  }

  /** Evaluates now, so GET /api/alerts has an answer at once, then every intervalMs. */
  start(): void {
    if (this.timer) return;
    void this.evaluate();
    this.timer = setInterval(() => void this.evaluate(), this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One evaluation; joins the one under way rather than starting a second. */
  evaluate(): Promise<void> {
    this.running ??= this.evaluateOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async evaluateOnce(): Promise<void> {
    const { sources, thresholds, deadlineMs, logger } = this.options;
    const now = this.options.now?.() ?? new Date();
    const wasState = this.status.state;
    try {
      const inputs = await withDeadline(readAlertInputs(sources, thresholds, now), deadlineMs);
      const step = advance(
        this.book,
        evaluateRules(inputs, thresholds, now),
        now.getTime(),
        thresholds.holdMs,
      );
      this.book = step.book;
      this.status = {
        state: 'ok',
        evaluatedAt: new Date().toISOString(),
        error: null,
        alerts: firingAlerts(step.book),
      };
      for (const id of step.fired) logger.warn({ alertId: id }, 'alert fired');
      for (const id of step.cleared) logger.info({ alertId: id }, 'alert cleared');
      if (step.fired.length > 0 || step.cleared.length > 0 || wasState !== 'ok')
        this.options.changed({ v: 1, ...this.status, fired: step.fired, cleared: step.cleared });
    } catch (err) {
      logger.warn({ err }, 'alerts could not be evaluated');
      this.status = {
        ...this.status,
        state: 'unknown',
        evaluatedAt: new Date().toISOString(),
        error:
          'The line could not be read (database or Redis unavailable, or too slow): alerts may be stale.',
      };
      if (wasState !== 'unknown')
        this.options.changed({ v: 1, ...this.status, fired: [], cleared: [] });
    }
  }
}
