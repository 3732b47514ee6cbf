import type { FileStore, ValidStatusSection } from '@ffphoton/core';
import { bucketAccounts, daysText, loadAccountsFile } from './account-expiry.js';

/** The accounts file as a health section of the status page (the digest's buckets, no mail). */
export async function accountsSection(
  files: FileStore,
  file: string,
  now: Date,
): Promise<ValidStatusSection> {
  const base = { plugin: '@ffphoton/plugin-web', id: 'accounts', title: 'Accounts' };
  try {
    const b = bucketAccounts(await loadAccountsFile(files, file), now);
    return {
      ...base,
      state: b.overdue.length || b.invalid.length ? 'failed' : b.warning.length ? 'warning' : 'ok',
      summary: `${b.overdue.length} overdue, ${b.warning.length} expiring soon, ${b.good.length} good, ${b.invalid.length} bad entries`,
      rows: [
        ...b.overdue.map((e) => ({
          label: e.account,
          value: `until ${e.until}, ${daysText(e)}`,
          state: 'failed' as const,
        })),
        ...b.invalid.map((i) => ({ label: i.entry, value: i.reason, state: 'failed' as const })),
        ...b.warning.map((e) => ({
          label: e.account,
          value: `until ${e.until}, ${daysText(e)}`,
          state: 'warning' as const,
        })),
        ...b.good.map((e) => ({
          label: e.account,
          value: `until ${e.until}, ${daysText(e)}`,
          state: 'ok' as const,
        })),
      ],
    };
  } catch (error) {
    return { ...base, state: 'unavailable', summary: `unavailable: ${(error as Error).message}`, rows: [] };
  }
}
