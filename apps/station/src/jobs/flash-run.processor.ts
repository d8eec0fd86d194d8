// The `flash.run` job on this station: check the payload, take the slot's port, flash, report.
// A protocol failure is a result (outcome 'failed'); only infrastructure problems throw.
import { FlashRunJob, FlashRunPayload, type FlashRunResult } from '@station/contracts';
import type { Logger } from '@station/logger';
import { FlashError, isFlashError, runFlashJob, type DownloadAgent } from '@station/mtk';
import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import { z } from 'zod';
import type { PortRegistry } from '../ports/port-registry';
import { createPowerControl, type PowerMode } from '../ports/power-control';
import { SerialTransport } from '../ports/serial-transport';
import { readStationDa, readStationPackage, type StationPackage } from './firmware-store';
import { flashRunResult, refusedResult } from './flash-run.result';
import { throttleProgress } from './progress-throttle';

export interface FlashSlot {
  slot: number;
  path: string;
  power: PowerMode;
}

export interface FlashRunDeps {
  stationId: string;
  slots: ReadonlyMap<number, FlashSlot>;
  ports: PortRegistry;
  firmwareDir: string;
  daFile: string;
  logger: Logger;
  /** Aborted when the worker starts closing: a job still waiting for its slot gives up. */
  stopping: AbortSignal;
  /** Aborted when the agent's shutdown stops waiting for running flashes. */
  shutdown: AbortSignal;
  progressIntervalMs?: number;
}

export function createFlashRunProcessor(deps: FlashRunDeps): Processor<unknown, FlashRunResult> {
  return async (job, _token, jobSignal) => {
    const parsed = FlashRunPayload.safeParse(job.data);
    if (job.name !== FlashRunJob.name || !parsed.success)
      throw new UnrecoverableError(
        `rejected ${job.name} job ${job.id}: ${parsed.success ? `not a ${FlashRunJob.name} job` : z.prettifyError(parsed.error)}`,
      );
    const payload = parsed.data;
    const slot = deps.slots.get(payload.slot);
    if (payload.stationId !== deps.stationId || !slot)
      throw new UnrecoverableError(
        `job ${job.id} is for ${payload.stationId} slot ${payload.slot}; this is ${deps.stationId} with slots ${[...deps.slots.keys()].join(', ')}`,
      );
    const signal = jobSignal ? AbortSignal.any([deps.shutdown, jobSignal]) : deps.shutdown;
    // A job waiting for a busy slot must not start a flash once the agent is closing.
    const release = await deps.ports.acquire(slot.slot, AbortSignal.any([deps.stopping, signal]));
    try {
      const result = await flashOnSlot(job, payload, slot, deps, signal);
      deps.logger.info({ jobId: job.id, slot: slot.slot, ...result }, 'flash.run finished');
      return result;
    } finally {
      release();
    }
  };
}

async function flashOnSlot(
  job: Job,
  payload: FlashRunPayload,
  slot: FlashSlot,
  deps: FlashRunDeps,
  signal: AbortSignal,
): Promise<FlashRunResult> {
  const log = deps.logger.child({ jobId: job.id, attemptId: payload.attemptId, slot: slot.slot });
  let station: StationPackage;
  let da: DownloadAgent;
  let transport: SerialTransport;
  try {
    station = await readStationPackage(deps.firmwareDir, payload.packageId);
    if (station.digest !== payload.packageSha256)
      throw new FlashError(
        'PACKAGE_MISMATCH',
        `package ${payload.packageId} on this station has digest ${station.digest}, the job asks for ${payload.packageSha256}`,
        { stage: 'package' },
      );
    da = await readStationDa(deps.daFile);
    transport = await SerialTransport.open({ path: slot.path });
  } catch (error) {
    if (!isFlashError(error)) throw error;
    log.warn({ err: error }, 'flash.run refused before flashing');
    return refusedResult(payload, error);
  }
  let writeBytesSeen = 0;
  const progress = throttleProgress(
    (p) => void job.updateProgress(p).catch((err: unknown) => log.warn({ err }, 'progress lost')),
    deps.progressIntervalMs,
  );
  try {
    const run = await runFlashJob(transport, {
      package: station.pkg,
      da,
      baud: payload.baud,
      power: createPowerControl(slot.power, transport, (line) => log.warn(line)),
      signal,
      onProgress: (p) => {
        if (p.stage === 'write') writeBytesSeen = Math.max(writeBytesSeen, p.bytes);
        progress.push(p);
      },
      preflight: true,
      postflight: true,
      expectedImei: payload.imei,
    });
    if (run.error) log.warn({ err: run.error }, 'flash failed');
    return flashRunResult(payload, run, writeBytesSeen);
  } finally {
    progress.stop();
    await transport.close();
  }
}
