import type { YieldRow } from '@station/contracts';
import { heatColour, heatMapOf, LEGEND_STEPS } from '../lib/heat-scale';
import { percent } from '../lib/shift-figures';
import styles from './yield.module.css';

/**
 * Each station's slots coloured by this shift's first-pass yield, the number and the units written
 * on each cell (colour is never the only carrier), with the scale as a legend.
 */
export function SlotHeatMap({
  live,
  rows,
}: {
  live: readonly { stationId: string; slots: readonly number[] }[];
  rows: readonly YieldRow[];
}) {
  const grid = heatMapOf(live, rows);
  return (
    <section className={styles.panel} data-testid="heat-map" aria-label="First-pass yield by slot">
      <h2 className={styles.panelTitle}>First-pass yield by slot</h2>
      {grid.length === 0 && <p className={styles.muted}>No slot reported yet.</p>}
      <div className={styles.heatStations}>
        {grid.map((station) => (
          <div key={station.stationId} className={styles.heatStation} data-testid="heat-station">
            <span className={styles.heatName}>{station.stationId}</span>
            <div className={styles.heatCells}>
              {station.cells.map((cell) => (
                <div
                  key={cell.slot}
                  className={styles.heatCell}
                  style={{ background: heatColour(cell.firstPassYield) }}
                  data-testid="heat-cell"
                  data-station-id={station.stationId}
                  data-slot={cell.slot}
                  data-units={cell.units}
                  title={`${station.stationId} slot ${cell.slot}: first-pass ${percent(cell.firstPassYield)} of ${cell.units} units`}
                >
                  <span className={styles.heatSlot}>{cell.slot}</span>
                  <strong data-testid="heat-yield">{percent(cell.firstPassYield)}</strong>
                  <span className={styles.heatUnits}>{cell.units} u</span>
                </div>
              ))}
            </div>
          </div>
        ))}
      </div>
      <div className={styles.legend} data-testid="heat-legend" aria-label="Colour scale">
        {LEGEND_STEPS.map((step) => (
          <span key={String(step)} className={styles.legendStep}>
            <span className={styles.swatch} style={{ background: heatColour(step) }} />
            {step === null ? 'no units' : step === 0.5 ? '≤ 50 %' : percent(step)}
          </span>
        ))}
      </div>
    </section>
  );
}
