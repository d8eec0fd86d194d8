// Unit test of the screens each role is offered; nothing is mocked.
import { Role } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { FIRMWARE, mayOpen, navItemsFor, ROLE_LABEL } from './navigation';

describe('navItemsFor', () => {
  it('offers every role the line view, first', () => {
    for (const role of Role.options) {
      expect(navItemsFor(role)[0]).toEqual({ href: '/', label: 'Line view' });
    }
  });

  it('offers no screen that does not exist yet', () => {
    const hrefs = new Set(Role.options.flatMap((role) => navItemsFor(role).map((i) => i.href)));
    expect([...hrefs]).toEqual([
      '/',
      '/yield',
      '/explorer',
      '/firmware',
      '/admin/people',
      '/admin/api-keys',
      '/admin/stations',
    ]);
  });

  it('offers the admin pages to admins only', () => {
    const admin = (role: (typeof Role.options)[number]) =>
      navItemsFor(role)
        .filter((item) => item.href.startsWith('/admin/'))
        .map((i) => i.label);
    expect(admin('admin')).toEqual(['People', 'API keys', 'Stations']);
    for (const role of ['operator', 'supervisor', 'engineer'] as const)
      expect(admin(role)).toEqual([]);
    expect(Role.options.filter((role) => mayOpen(role, '/admin/people'))).toEqual(['admin']);
  });

  it('offers yield and the attempt explorer to supervisors and above, not operators', () => {
    for (const href of ['/yield', '/explorer'])
      expect(Role.options.filter((role) => mayOpen(role, href))).toEqual([
        'supervisor',
        'engineer',
        'admin',
      ]);
  });

  it('offers the firmware page to engineers and admins only', () => {
    expect(Role.options.filter((role) => navItemsFor(role).includes(FIRMWARE))).toEqual([
      'engineer',
      'admin',
    ]);
    expect(Role.options.filter((role) => mayOpen(role, FIRMWARE.href))).toEqual([
      'engineer',
      'admin',
    ]);
  });

  it('has words for every role', () => {
    expect(Role.options.map((role) => ROLE_LABEL[role])).toEqual([
      'Operator',
      'Supervisor',
      'Engineer',
      'Admin',
    ]);
  });
});
