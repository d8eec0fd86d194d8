export { MemoryTransport, createMemoryTransportPair } from './memory-transport';
