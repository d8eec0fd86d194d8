// The reliability suite's one setting: RELIABILITY_FULL=1 (npm run test:reliability) runs every
// fault loop its full count; `npm test` runs a few of each.
export const FULL_RUN = process.env.RELIABILITY_FULL === '1';
