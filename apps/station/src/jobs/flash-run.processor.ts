// The `flash.run` job on this station: check the server's signature and the payload, take the
// slot's port, journal the start, flash, journal and publish the result. Every attempt that starts
// here ends with exactly one result in the journal, whatever happens (protocol failure, station
// error, shutdown); a job no server signed never starts one.
import {
  FlashRunJob,
  FlashRunPayload,
  TRACE_MAX_ENTRIES,
  type FlashRunResult,
  type FlashStage,
  type PowerPrompt,
  type StationResultMessage,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import {
  isFlashError,
  runFlashJob,
  TraceRecorder,
  type DownloadAgent,
  type FlashMode,
} from '@station/mtk';
import { openMessage } from '@station/trust';
import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import { z } from 'zod';
import type { StationJournal } from '../journal/journal';
import type { ResultOutbox } from '../journal/result-outbox';
import type { PortRegistry } from '../ports/port-registry';
import { createPowerControl, releasePowerKey, type PowerMode } from '../ports/power-control';
import { SerialTransport } from '../ports/serial-transport';
import type { StationPackage } from './firmware-store';
import { resolveJobPackage } from './job-package';
import { StationFiles } from './station-files';
import type { RegistryFetcher } from './registry-fetch';
import { flashRunResult, interruptedResult, refusedResult, withTrace } from './flash-run.result';
import type { ProgressPublisher } from './progress-publisher';
import { throttleProgress } from './progress-throttle';

export interface FlashSlot {
  slot: number;
  /**
   * Where the slot's adapter is: read when a job starts, so a usb-serial adapter that came back
   * under another tty name is opened there (the agent's port watch updates it).
   */
  path: string;
  power: PowerMode;
}

export interface FlashRunDeps {
  stationId: string;
  /** The station's HMAC key: a job's data is a message signed with it (contracts FlashRunJob). */
  signingKey: string;
  bootId: string;
  slots: ReadonlyMap<number, FlashSlot>;
  ports: PortRegistry;
  firmwareDir: string;
  daFile: string;
  /** Send the protocol trace with passed attempts too (TRACE_PASSED); failed ones always carry it. */
  tracePassed: boolean;
  /**
   * The line's download mode (docs/station.md "Firmware upgrade or format all"): firmware-upgrade
   * (default, keeps NVRAM and the file system) or format-all; boot loaders as `runFlashJob` takes.
   */
  flashMode?: FlashMode;
  bootLoaders?: boolean;
  /** Fetches a registry package the station does not hold; without it such a job is refused. */
  registry?: RegistryFetcher;
  logger: Logger;
  journal: StationJournal;
  outbox: ResultOutbox;
  publishProgress: ProgressPublisher;
  /** Aborted when the agent shuts down: waiting jobs give up, running flashes are cut short. */
  shutdown: AbortSignal;
  progressIntervalMs?: number;
  /** Told the bytes written to a slot's adapter as they go (metrics). */
  serialWritten?: (slot: number, bytes: number) => void;
  /** Packages and DA kept between jobs while unchanged; the processor makes its own if absent. */
  files?: StationFiles;
}

/** The failed reason of a job whose signature does not verify. */
export const REFUSED_UNSIGNED = "refused: not signed by a server holding this station's key";

export function createFlashRunProcessor(options: FlashRunDeps): Processor<unknown, FlashRunResult> {
  const deps = { ...options, files: options.files ?? new StationFiles() };
  return async (job, _token, jobSignal) => {
    // Before anything else: a job anyone on the network added gets no journal record, no port
    // and no result (the server knows no such attempt), just a failed job.
    const opened = openMessage(deps.signingKey, 'job', job.data);
    if (!opened.ok) {
      deps.logger.warn({ jobId: job.id, problem: opened.reason }, 'refused an unsigned job');
      throw new UnrecoverableError(REFUSED_UNSIGNED);
    }
    const parsed = FlashRunPayload.safeParse(opened.message);
    if (job.name !== FlashRunJob.name || !parsed.success)
      throw new UnrecoverableError(
        `rejected ${job.name} job ${job.id}: ${parsed.success ? `not a ${FlashRunJob.name} job` : z.prettifyError(parsed.error)}`,
      );
    const payload = parsed.data;
    if (payload.stationId !== deps.stationId)
      throw new UnrecoverableError(
        `job ${job.id} is for station ${payload.stationId}; this is ${deps.stationId}`,
      );
    if (deps.journal.knows(payload.attemptId))
      throw new UnrecoverableError(`attempt ${payload.attemptId} already ran on this station`);
    const settle = async (result: FlashRunResult): Promise<FlashRunResult> => {
      const message: StationResultMessage = {
        v: 1,
        stationId: deps.stationId,
        bootId: deps.bootId,
        slot: payload.slot,
        imei: payload.imei,
        result,
      };
      await deps.outbox.settle(message);
      deps.logger.info({ jobId: job.id, slot: payload.slot, ...result }, 'flash.run settled');
      return result;
    };
    const slot = deps.slots.get(payload.slot);
    if (!slot)
      return settle(
        interruptedResult({
          attemptId: payload.attemptId,
          stage: 'queued',
          baud: payload.baud,
          errorName: 'STATION_ERROR',
          message: `station ${deps.stationId} has no slot ${payload.slot} (slots ${[...deps.slots.keys()].join(', ')})`,
        }),
      );
    const signal = jobSignal ? AbortSignal.any([deps.shutdown, jobSignal]) : deps.shutdown;
    let release: () => void;
    try {
      release = await deps.ports.acquire(slot.slot, signal);
    } catch {
      return settle(
        interruptedResult({
          attemptId: payload.attemptId,
          stage: 'queued',
          baud: payload.baud,
          errorName: 'STATION_SHUTDOWN',
          message: 'the station shut down before the flash started',
        }),
      );
    }
    try {
      await deps.journal.recordStart({
        attemptId: payload.attemptId,
        bootId: deps.bootId,
        slot: payload.slot,
        imei: payload.imei,
        baud: payload.baud,
      });
      let stage: FlashStage = 'queued';
      // Progress is published only once its stage is on disk, so no screen ever sees a stage
      // the journal (and so a crash's settlement) would not know.
      let journaled: Promise<void> = Promise.resolve();
      const stages: StageTracker = {
        enter(next) {
          if (next === stage) return;
          stage = next;
          journaled = deps.journal
            .recordStage(payload.attemptId, next)
            .catch((err: unknown) => deps.logger.error({ err }, 'journal write failed'));
        },
        afterJournal(publish) {
          void journaled.then(publish);
        },
      };
      stages.enter('package');
      try {
        return await settle(await flashOnSlot(job, payload, slot, deps, signal, stages));
      } catch (error) {
        // A station-side failure (not a protocol one): the attempt still ends with a result.
        deps.logger.error({ err: error, attemptId: payload.attemptId }, 'flash.run crashed');
        return await settle(
          interruptedResult({
            attemptId: payload.attemptId,
            stage,
            baud: payload.baud,
            errorName: 'STATION_ERROR',
            message: error instanceof Error ? error.message : String(error),
          }),
        );
      }
    } finally {
      release();
    }
  };
}

interface StageTracker {
  /** The flash entered `stage`: journal it. */
  enter(stage: FlashStage): void;
  /** Runs `publish` once every stage entered so far is journaled. */
  afterJournal(publish: () => void): void;
}

async function flashOnSlot(
  job: Job,
  payload: FlashRunPayload,
  slot: FlashSlot,
  deps: FlashRunDeps & { files: StationFiles },
  signal: AbortSignal,
  stages: StageTracker,
): Promise<FlashRunResult> {
  const log = deps.logger.child({ jobId: job.id, attemptId: payload.attemptId, slot: slot.slot });
  let station: StationPackage;
  let da: DownloadAgent;
  let transport: SerialTransport;
  try {
    const resolved = await resolveJobPackage(payload, deps);
    station = resolved.station;
    da = await deps.files.readDa(resolved.daFile);
    const written = deps.serialWritten;
    transport = await SerialTransport.open({
      path: slot.path,
      ...(written ? { onWritten: (bytes: number) => written(slot.slot, bytes) } : {}),
    });
  } catch (error) {
    if (!isFlashError(error)) throw error;
    log.warn({ err: error }, 'flash.run refused before flashing');
    return refusedResult(payload, error);
  }
  if (slot.power.kind === 'dtr' || slot.power.kind === 'rts') {
    try {
      await releasePowerKey(transport, slot.power);
    } catch (error) {
      await transport.close();
      if (!isFlashError(error)) throw error;
      log.warn({ err: error }, 'flash.run refused: PWRKEY line not set');
      return refusedResult(payload, error);
    }
  }
  let writeBytesSeen = 0;
  // The operator's prompt (manual power) rides on progress while the handshake streams A0.
  let prompt: PowerPrompt | undefined;
  let stageNow: FlashStage = 'package';
  const progress = throttleProgress(
    (p) =>
      stages.afterJournal(() =>
        deps.publishProgress({
          ...p,
          ...(prompt && p.stage === 'brom' ? { prompt } : {}),
          stationId: deps.stationId,
          attemptId: payload.attemptId,
          slot: payload.slot,
          imei: payload.imei,
        }),
      ),
    deps.progressIntervalMs,
  );
  const power = createPowerControl(slot.power, transport, {
    say: (line) => log.warn(line),
    prompt: (next) => {
      prompt = next;
      log.info({ prompt: next }, 'operator prompted to power-cycle the module');
      progress.push({ stage: stageNow, percent: 0, bytes: 0, totalBytes: 0 });
    },
  });
  const trace = new TraceRecorder({ maxEntries: TRACE_MAX_ENTRIES });
  try {
    const run = await runFlashJob(transport, {
      package: station.pkg,
      da,
      baud: payload.baud,
      power,
      signal,
      onProgress: (p) => {
        if (p.stage === 'write') writeBytesSeen = Math.max(writeBytesSeen, p.bytes);
        if (p.stage !== 'brom') prompt = undefined;
        stageNow = p.stage;
        stages.enter(p.stage);
        progress.push(p);
      },
      preflight: true,
      postflight: true,
      expectedImei: payload.imei,
      trace,
      ...(deps.flashMode ? { mode: deps.flashMode } : {}),
      ...(deps.bootLoaders === undefined ? {} : { bootLoaders: deps.bootLoaders }),
    });
    if (run.error) log.warn({ err: run.error }, 'flash failed');
    const result = flashRunResult(payload, run, writeBytesSeen);
    return withTrace(result, trace, deps.tracePassed);
  } finally {
    progress.stop();
    await transport.close();
  }
}
