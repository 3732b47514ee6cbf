import { describe, expect, it } from 'vitest';
import { mailSettings } from '../mail/mail-settings.js';
import { argvPrograms } from './core-settings.js';

describe('argvPrograms', () => {
  it('names the program of each template, and the one sudo or env starts', () => {
    expect(
      argvPrograms(
        ['systemctl', 'reload', '{unit}'],
        ['sudo', '-n', '-u', 'fastd', '/usr/sbin/alfred', '-u', '{socket}'],
        ['env', 'LC_ALL=C', '-i', 'vnstat', '--json'],
        ['/usr/bin/sudo', 'env', 'A=1', 'batctl'],
        undefined,
        false,
        ['systemctl', 'restart', '{unit}'],
      ),
    ).toEqual(['systemctl', 'sudo', '/usr/sbin/alfred', 'env', 'vnstat', '/usr/bin/sudo', 'batctl']);
  });

  it('leaves out a program that is only known at run time', () => {
    expect(argvPrograms(['{bin}', '--x'], ['sudo', '{tool}'])).toEqual(['sudo']);
  });
});

describe('mail settings', () => {
  it('name the sendmail program only for the sendmail transport', () => {
    const programs = (mail: Record<string, unknown>) =>
      mailSettings.programs?.(mailSettings.schema.parse(mail));
    expect([
      programs({}),
      programs({ sendmail: { path: '/usr/bin/msmtp' } }),
      programs({ transport: 'smtp', smtp: { host: 'mail.example.org' } }),
      programs({ transport: 'file' }),
    ]).toEqual([['/usr/sbin/sendmail'], ['/usr/bin/msmtp'], [], []]);
  });
});
