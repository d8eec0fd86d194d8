export * from './station-secret';
export * from './signed-message';
export * from './redis-acl';
export * from './signed-request';
export * from './bearer-token';
