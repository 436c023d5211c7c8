// What differs between Node and browsers: how credentials are found. Each entry sets it once.

export let platform = null;

export function setPlatform(p) {
  platform = p;
}
