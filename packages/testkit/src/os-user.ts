// The OS account a server must run as: PostgreSQL refuses to start as root.
import { readFileSync } from 'node:fs';

export interface OsAccount {
  name: string;
  uid: number;
  gid: number;
}

/** `name`'s uid and gid from /etc/passwd; a clear error when the account does not exist. */
export function osAccount(name: string): OsAccount {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(`there is no "${name}" OS user (install the server package that creates it)`);
  }
  return { name, uid: Number(uid), gid: Number(gid) };
}

/** Who to run `server` as: this process's user, or `account` when this process is root. */
export function serverAccount(account: string): OsAccount | undefined {
  return process.getuid?.() === 0 ? osAccount(account) : undefined;
}
