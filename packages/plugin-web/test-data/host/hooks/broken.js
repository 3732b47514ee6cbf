export default async function status() {
  throw new Error('status socket /run/broken.sock is gone');
}
