export { TraceRecorder, type TraceFieldsInput, type TraceRecorderOptions } from './trace-recorder';
export {
  TRACE_MAX_ENTRIES,
  type ProtocolTrace,
  type TraceEntry,
  type TraceFields,
} from './trace-entry';
