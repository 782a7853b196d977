// Samples a process's memory from /proc/<pid>/status (Linux): VmRSS (resident now) and VmHWM
// (the resident high-water mark since it started), every `everyMs`, with the time of each.
import { readFileSync } from 'node:fs';

/** { rss, hwm, anon, file } in bytes (RssAnon, RssFile: of rss), or undefined once the process is gone. */
export function readProcMemory(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return undefined;
  }
  const kb = (name) => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return m === null ? undefined : Number(m[1]) * 1024;
  };
  const rss = kb('VmRSS');
  return rss === undefined ? undefined : { rss, hwm: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') };
}

/** The process's CPU time so far (user + system, every thread), in ms; undefined once it is gone. */
export function readProcCpuMs(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // After the command's ")" (it may hold spaces): state is field 3, utime and stime 14 and 15.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Starts sampling; `samples` grows as { t (ms, performance.now()), rss, hwm }. */
export function sampleProcMemory(pid, everyMs = 50) {
  const samples = [];
  const take = () => {
    const m = readProcMemory(pid);
    if (m === undefined) return undefined;
    const sample = { t: performance.now(), ...m };
    samples.push(sample);
    return sample;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    /** Takes one sample now and returns it ({ t, rss, hwm }; undefined once the process is gone). */
    now: take,
    /** The largest RSS sampled in [from, to] (ms, performance.now()). */
    peakBetween(from, to = Infinity) {
      let peak = 0;
      for (const s of samples) if (s.t >= from && s.t <= to && s.rss > peak) peak = s.rss;
      return peak;
    },
    /** The last sample taken at or before `t`. */
    lastAtOrBefore(t) {
      let last;
      for (const s of samples) if (s.t <= t) last = s;
      return last;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
