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

/** Admins manage people, keys and stations (docs/security.md). */
const ADMIN_SCREENS: readonly NavItem[] = [
  { href: '/admin/people', label: 'People' },
  { href: '/admin/api-keys', label: 'API keys' },
  { href: '/admin/stations', label: 'Stations' },
];

/**
 * The screens each role may use, in menu order. A `Record` over the contract's roles: a new role
 * fails the typecheck until it is given its screens. Every role has the line view (an operator's
 * shows their station alone); admins also their pages; firmware and history come with theirs.
 */
const SCREENS: Record<Role, readonly NavItem[]> = {
  operator: [{ href: '/', label: 'Line view' }],
  supervisor: [{ href: '/', label: 'Line view' }],
  engineer: [{ href: '/', label: 'Line view' }],
  admin: [{ href: '/', label: 'Line view' }, ...ADMIN_SCREENS],
};

export const navItemsFor = (role: Role): readonly NavItem[] => SCREENS[role];
