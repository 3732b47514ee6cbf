import path from 'node:path';
import type { FileStore, Logger, Shell } from '@ffphoton/core';
import type { WebSettings } from '../settings.js';
import { accountsSection } from './accounts-section.js';
import type { HealthCollector, HealthReport } from './health-collector.js';
import { SitePages } from './site-pages.js';
import { SystemReport } from './system-report.js';
import { trafficInterfaces, VnstatReader } from './vnstat-reader.js';

export interface PageWrite {
  /** Task path of the page. */
  path: string;
  bytes: number;
  changed: boolean;
}

export interface WebBuildResult {
  root: string;
  pages: PageWrite[];
  /** The same health data the landing page shows. */
  health: HealthReport;
  interfaces: string[];
  /** Every part of the site replaced by a note (failed commands, vnstat, unknown interfaces, plugins). */
  notes: string[];
}

/**
 * Builds the whole site in memory first — so a failure leaves the old site — then writes each
 * page atomically (unchanged pages are not touched).
 */
export class SiteBuilder {
  constructor(
    private readonly files: FileStore,
    private readonly shell: Shell,
    private readonly health: HealthCollector,
    private readonly logger: Logger,
  ) {}

  async build(cfg: WebSettings, host: string, rawFastd: unknown, now: Date): Promise<WebBuildResult> {
    const interfaces = trafficInterfaces(
      cfg.traffic.interfaces,
      cfg.traffic.includeFastdInterfaces,
      rawFastd,
    );
    const vnstat = new VnstatReader(this.shell, cfg.traffic.vnstat, cfg.traffic.timeoutSeconds * 1000);
    const own = cfg.accounts.file ? [await accountsSection(this.files, cfg.accounts.file, now)] : [];
    const [health, system, traffic, discovered] = await Promise.all([
      this.health.collect(own),
      new SystemReport(this.shell, cfg.system.timeoutSeconds * 1000).collect(cfg.system.commands),
      vnstat.read(interfaces, cfg.traffic),
      this.existingLinks(cfg),
    ]);
    const links = [
      ...discovered,
      { href: 'traffic/index.html', text: 'Traffic' },
      { href: 'system/index.html', text: 'System' },
      ...cfg.links,
    ];
    const pages = new SitePages().render({
      brand: cfg.brand,
      title: cfg.title ?? host,
      generated: now,
      links,
      health,
      system,
      traffic,
    });
    const notes = [
      ...system.filter((o) => o.note).map((o) => `system: ${o.title}: ${o.note}`),
      ...traffic.notes.map((n) => `traffic: ${n}`),
      ...health.sections
        .filter((s) => s.state === 'unavailable')
        .map((s) => `health: ${s.title}: ${s.summary}`),
    ];
    for (const note of notes) this.logger.warn(note);
    // Directories first: a web root that cannot take the site fails before any page changes.
    for (const dir of new Set(pages.map((p) => path.posix.dirname(path.posix.join(cfg.root, p.path))))) {
      await this.files.mkdir(dir);
    }
    const written: PageWrite[] = [];
    for (const page of pages) {
      const target = path.posix.join(cfg.root, page.path);
      const { changed } = await this.files.writeIfChanged(target, page.html);
      written.push({ path: target, bytes: Buffer.byteLength(page.html), changed });
    }
    return {
      root: cfg.root,
      pages: written,
      health,
      interfaces: traffic.interfaces.map((i) => i.name),
      notes,
    };
  }

  private async existingLinks(cfg: WebSettings): Promise<{ href: string; text: string }[]> {
    const found = await Promise.all(
      cfg.discover.map(async (link) =>
        (await this.files.exists(path.posix.join(cfg.root, link.href))) ? link : undefined,
      ),
    );
    return found.filter((link) => link !== undefined);
  }
}
