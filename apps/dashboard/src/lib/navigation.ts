import type { Role } from '@station/contracts';

/** The words the header uses for each role. */
export const ROLE_LABEL: Record<Role, string> = {
  operator: 'Operator',
  supervisor: 'Supervisor',
  engineer: 'Engineer',
  admin: 'Admin',
};

export interface NavItem {
  href: string;
  label: string;
}

const LINE: NavItem = { href: '/', label: 'Line view' };
export const FIRMWARE: NavItem = { href: '/firmware', label: 'Firmware' };
/** Supervisors' line page: shift figures, yield by hour, slot heat map, Pareto, suspects (issue #10 §4). */
export const YIELD: NavItem = { href: '/yield', label: 'Yield' };
/** Engineers' attempt explorer: IMEI search, filters, attempt pages with traces, CSV (issue #10 §5). */
export const EXPLORER: NavItem = { href: '/explorer', label: 'Attempts' };
/** Admins manage people, keys and stations (docs/security.md). */
const ADMIN_SCREENS: readonly NavItem[] = [
  { href: '/admin/people', label: 'People' },
  { href: '/admin/api-keys', label: 'API keys' },
  { href: '/admin/stations', label: 'Stations' },
];

/**
 * The screens each role may use, in menu order. A `Record` over the contract's roles: a new role
 * fails the typecheck until it is given its screens. Every role has the line view (an operator's
 * shows their station alone); engineers and admins manage firmware, admins also people, keys and
 * stations (the server's role matrix says the same).
 * Supervisors and above read yield and the attempt history (the server's role matrix: supervisor+).
 */
const SCREENS: Record<Role, readonly NavItem[]> = {
  operator: [LINE],
  supervisor: [LINE, YIELD, EXPLORER],
  engineer: [LINE, YIELD, EXPLORER, FIRMWARE],
  admin: [LINE, YIELD, EXPLORER, FIRMWARE, ...ADMIN_SCREENS],
};

/** Whether `role` may use the screen at `href`. */
export const mayOpen = (role: Role, href: string): boolean =>
  SCREENS[role].some((item) => item.href === href);

export const navItemsFor = (role: Role): readonly NavItem[] => SCREENS[role];
