// Runs one request against a running jig's control socket: what the jig refuses (no jig there,
// slot occupied, no module in the slot, invalid IMEI, unknown fault) is one line on stderr and
// exit code 1, never a stack trace.
import {
  connectJigControl,
  FaultSpecError,
  JigControlError,
  type JigControlClient,
} from '@station/emulator';

export async function withJigControl(
  address: string,
  run: (client: JigControlClient) => Promise<void>,
): Promise<void> {
  let client: JigControlClient | undefined;
  try {
    client = await connectJigControl(address);
    await run(client);
  } catch (error) {
    if (!(error instanceof JigControlError || error instanceof FaultSpecError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  } finally {
    client?.close();
  }
}
