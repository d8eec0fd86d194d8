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

/**
 * The screens each role may use, in menu order. A `Record` over the contract's roles: a new role
 * fails the typecheck until it is given its screens. Today every role has only the line view (an
 * operator's shows their station alone); firmware, history and users come with their screens.
 */
const SCREENS: Record<Role, readonly NavItem[]> = {
  operator: [{ href: '/', label: 'Line view' }],
  supervisor: [{ href: '/', label: 'Line view' }],
  engineer: [{ href: '/', label: 'Line view' }],
  admin: [{ href: '/', label: 'Line view' }],
};

export const navItemsFor = (role: Role): readonly NavItem[] => SCREENS[role];
