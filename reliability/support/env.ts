// The reliability suite's one setting, from the test kit: RELIABILITY_FULL=1 (npm run
// test:reliability) runs every fault loop its full count; `npm test` runs a few of each.
export { FULL_RUN } from '@station/testkit';
