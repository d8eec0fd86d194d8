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
 * stations (the server's role matrix says the same). History comes with its screen.
 */
const SCREENS: Record<Role, readonly NavItem[]> = {
  operator: [LINE],
  supervisor: [LINE],
  engineer: [LINE, FIRMWARE],
  admin: [LINE, FIRMWARE, ...ADMIN_SCREENS],
};

/** Whether `role` may use the screen at `href`. */
export const mayOpen = (role: Role, href: string): boolean =>
  SCREENS[role].some((item) => item.href === href);

export const navItemsFor = (role: Role): readonly NavItem[] => SCREENS[role];
