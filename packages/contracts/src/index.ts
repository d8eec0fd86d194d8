export * from './stations';
export * from './health';
export * from './errors';
export * from './imei';
export * from './jobs';
export * from './presence';
export * from './socket-events';
export * from './flash';
