// A plugin that is not configured on this host has nothing to say.
export default async function status() {
  return undefined;
}
