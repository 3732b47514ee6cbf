// A well-behaved plugin: two sections, one with hostile text that must be escaped.
export default async function status({ ctx }) {
  const instances = ctx.settings.raw.fastd?.instances ?? [];
  return [
    {
      id: 'fastd',
      title: 'fastd',
      state: 'ok',
      summary: `${instances.length} instance(s), 37 of 120 peers connected`,
      rows: instances.map((i) => ({ label: i.name, value: '37 / 120', state: 'ok' })),
    },
    { id: 'hostile', title: 'Hostile <script>alert(1)</script>', state: 'warning', summary: '<img src=x onerror=alert(2)>', rows: [] },
  ];
}
