// Part of the single executable only (scripts/build-binary.mjs bundles it): loads a native addon
// that travels inside the executable as an asset. Node loads an addon only from a file, so its
// bytes are written once to <tmpdir>/agentkit-addons-<uid>/<sha256>-<name>, a folder only this
// user may write to, and the file is checked against the hash before every load: nothing
// another user put there is ever loaded. Throws, with the reason, when it cannot be done
// (no writable temporary directory, an addon built for another platform); the caller degrades.
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sea from 'node:sea';

/** The exports of the addon embedded under `key`. */
export function loadEmbeddedAddon(key) {
  if (!sea.isSea()) throw new Error(`${key} is embedded only in the single executable`);
  try {
    return load(key);
  } catch (error) {
    throw new Error(`the native addon ${key} embedded in this executable cannot be loaded: ${error.message}`, { cause: error });
  }
}

function load(key) {
  const bytes = Buffer.from(sea.getAsset(key));
  const hash = createHash('sha256').update(bytes).digest('hex');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dir = path.join(tmpdir(), `agentkit-addons-${uid}`);
  try {
    // Not `recursive`: the temporary directory must exist already (and Node's recursive mkdir
    // never returns on some file systems, /proc for one).
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if (error.code !== 'EEXIST') throw new Error(`cannot create ${dir} (${error.message}): set TMPDIR to a writable folder`, { cause: error });
  }
  const info = lstatSync(dir);
  // Someone else's folder (or a link to one) could change the file between check and load.
  if (!info.isDirectory() || info.uid !== uid || (info.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a private folder of this user: set TMPDIR to one`);
  }
  const file = path.join(dir, `${hash.slice(0, 16)}-${key}`);
  if (!hasBytes(file, hash)) {
    const partial = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(partial, bytes, { mode: 0o500 });
      chmodSync(partial, 0o500);
      renameSync(partial, file);
    } catch (error) {
      throw new Error(`cannot write it to ${dir} (${error.message}): set TMPDIR to a writable folder`, { cause: error });
    }
  }
  const module = { exports: {} };
  process.dlopen(module, file);
  return module.exports;
}

function hasBytes(file, hash) {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex') === hash;
  } catch {
    return false;
  }
}
