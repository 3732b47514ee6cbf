export default async function status() {
  return { peers: 'lots' };
}
