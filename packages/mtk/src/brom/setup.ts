import type { Link } from '../link';
import { read16, write16, write32 } from './commands';

const WDT_MODE = 0xa0030000;
const RTC_BBPU = 0xa0710000;
const RTC_OSC32 = 0xa071004c;
const RTC_PROT = 0xa0710068;
const RTC_WRTGR = 0xa0710074;
const BOOT_CON = 0xa0510000;
const BBPU_BUSY = 1 << 6;

/**
 * Register set-up before the DA (reference §1.6): charger/PMU for a battery-less download,
 * watchdog off, RTC 32 kHz and power-key latch (keeps the chip on after PWRKEY is released),
 * then remap bank 0 to serial flash so the DA2 load address is PSRAM.
 */
export async function prepareForDa(link: Link, rtcBusyTimeoutMs = 2000): Promise<void> {
  await write16(link, 0xa0700a28, 0x4010);
  await write16(link, 0xa0700a00, 0xf210);
  await write16(link, WDT_MODE, 0x2200);
  await waitRtcIdle(link, rtcBusyTimeoutMs);
  await write16(link, RTC_OSC32, 0x1a57);
  await write16(link, RTC_OSC32, 0x2b68);
  await write16(link, RTC_OSC32, 0x042e);
  await write16(link, RTC_PROT, 0x586a);
  await write16(link, RTC_WRTGR, 0x0001);
  await write16(link, RTC_PROT, 0x9136);
  await write16(link, RTC_WRTGR, 0x0001);
  await write16(link, RTC_BBPU, 0x430e);
  await write16(link, RTC_WRTGR, 0x0001);
  await write32(link, BOOT_CON, 0x00000002);
}

/** The RTC ignores writes while BBPU bit 6 (busy) is set. */
async function waitRtcIdle(link: Link, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [bbpu] = await read16(link, RTC_BBPU);
    if ((bbpu! & BBPU_BUSY) === 0) return;
    if (Date.now() > deadline)
      throw link.fail('BROM_CMD_FAIL', `RTC stayed busy (BBPU bit 6) for ${timeoutMs} ms`);
  }
}
