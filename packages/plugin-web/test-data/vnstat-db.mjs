// Creates a real vnstat 2 database (vnstatd --initdb, vnstat --add) and fills it with
// deterministic traffic through sqlite3, so the real `vnstat --json` reads it.
// Shared by the plugin-web tests and bench/web.mjs.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const pad = (n) => String(n).padStart(2, '0');
const day = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Fills `dir` with a vnstat database; returns the argv that prints it as JSON. */
export function createVnstatDb(dir, interfaces, { days = 365, now = new Date() } = {}) {
  const config = path.join(dir, 'vnstat.conf');
  writeFileSync(config, `DatabaseDir "${dir}"\nUseLogging 0\n`);
  execFileSync('vnstatd', ['--config', config, '--initdb'], { stdio: 'pipe' });
  for (const name of interfaces) execFileSync('vnstat', ['--config', config, '--add', '--force', '-i', name], { stdio: 'pipe' });
  const rows = { hour: [], day: [], month: [], top: [] };
  let seed = 7;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  interfaces.forEach((_, index) => {
    const id = index + 1;
    const scale = 2 ** (30 - index);
    const months = new Map();
    const daily = [];
    for (let i = days - 1; i >= 0; i -= 1) {
      const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - i);
      const rx = Math.round(scale * (0.5 + random()));
      const tx = Math.round(scale * (0.2 + random() / 2));
      daily.push([day(d), rx, tx]);
      const m = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-01`;
      const sum = months.get(m) ?? [0, 0];
      months.set(m, [sum[0] + rx, sum[1] + tx]);
    }
    for (const [date, rx, tx] of daily) rows.day.push(`(${id},'${date}',${rx},${tx})`);
    for (const [date, [rx, tx]] of months) rows.month.push(`(${id},'${date}',${rx},${tx})`);
    for (const [date, rx, tx] of [...daily].sort((a, b) => b[1] + b[2] - a[1] - a[2]).slice(0, 20))
      rows.top.push(`(${id},'${date}',${rx},${tx})`);
    for (let h = 95; h >= 0; h -= 1) {
      const t = new Date(now.getTime() - h * 3_600_000);
      const stamp = `${day(t)} ${pad(t.getHours())}:00:00`;
      rows.hour.push(`(${id},'${stamp}',${Math.round((scale / 24) * random())},${Math.round((scale / 48) * random())})`);
    }
  });
  const sql = Object.entries(rows)
    .filter(([, values]) => values.length > 0)
    .map(([table, values]) => `INSERT INTO ${table}(interface,date,rx,tx) VALUES ${values.join(',')};`)
    .join('\n');
  const totals = `UPDATE interface SET rxtotal=(SELECT sum(rx) FROM month WHERE month.interface=interface.id), txtotal=(SELECT sum(tx) FROM month WHERE month.interface=interface.id);`;
  execFileSync('sqlite3', [path.join(dir, 'vnstat.db')], { input: `BEGIN;\n${sql}\n${totals}\nCOMMIT;\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  return ['vnstat', '--config', config, '--json'];
}
