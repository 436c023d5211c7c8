// What differs between Node and browsers, set once by each entry: `browser`, the environment
// (`env`, an object of variables or null), the file reader (`readFile(path)` or null) and an
// optional `checkCredentials(options)`.

export let platform = null;

export function setPlatform(p) {
  platform = p;
}
