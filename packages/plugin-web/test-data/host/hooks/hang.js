export default function status() {
  return new Promise(() => {});
}
