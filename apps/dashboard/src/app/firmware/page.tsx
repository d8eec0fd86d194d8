import type { Metadata } from 'next';
import { connection } from 'next/server';
import { SignedInFirmware } from '../../components/signed-in-firmware';
import { env } from '../../env';

export const metadata: Metadata = { title: 'Flash Station — Firmware' };

/** `/firmware`: the firmware registry for engineers and admins. Rendered per request (SERVER_URL). */
export default async function FirmwarePage() {
  await connection();
  return <SignedInFirmware serverUrl={env.SERVER_URL} />;
}
