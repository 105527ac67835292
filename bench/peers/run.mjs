// The peer comparison of docs/performance.md: the purchase rule "points = floor(amount × rate) by
// level, doubled on the 18th" over the same JSON Lines events, in json-rules-engine, in zen-engine
// (a JDM graph: decision table -> expression) and in Merit (merit_rule.merit, through `merit replay`
// end to end and through the evaluator bench on pre-decoded operations). Prints events/s (median
// of --runs runs), the ratios Merit ÷ peer, and each engine's total points, which must agree.
//
//   node run.mjs [--events FILE] [--merit PATH] [--bench PATH] [--runs N]
//
// The file (made by ../make_events.py --peers when missing) holds one `enroll` per member (its
// growth and the level it gives) and then purchases. The peers read the level from the enroll
// lines; Merit derives it from the growth on its own ladder. Timed for a peer: per purchase, from
// the parsed JSON object to the points (the day of month in Asia/Shanghai, the level looked up by
// member, the engine, the arithmetic). JSON parsing is done before timing for the peers; the
// `merit replay` figure includes reading and parsing the file and writing the states.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from 'json-rules-engine';
import { ZenEngine } from '@gorules/zen-engine';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

function flag(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const eventsPath = path.resolve(flag('--events', path.join(root, 'bench/data/peers-1m.jsonl')));
const meritPath = path.resolve(flag('--merit', path.join(root, 'build-bench/tools/merit')));
const benchPath = path.resolve(flag('--bench', path.join(root, 'build-bench/bench/evaluator_bench')));
const runs = Number(flag('--runs', '3'));
const rulePath = path.join(here, 'merit_rule.merit');

if (!fs.existsSync(eventsPath)) {
  console.error(`generating ${eventsPath} (100000 members, 1000000 purchases)`);
  fs.mkdirSync(path.dirname(eventsPath), { recursive: true });
  const r = spawnSync('python3', [path.join(root, 'bench/make_events.py'), '--peers', '--members', '100000',
    '--events', '1000000', '--seed', '1', '--out', eventsPath], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(2);
}

// ---- the events ------------------------------------------------------------------------------

const levels = new Map();  // member -> "V1".."V4"
const purchases = [];
for (const line of fs.readFileSync(eventsPath, 'utf8').split('\n')) {
  if (!line) continue;
  const op = JSON.parse(line);
  if (op.type === 'enroll') levels.set(op.member, op.data.level);
  else if (op.type === 'purchase') purchases.push(op);
}
console.log(`${eventsPath}: ${purchases.length} purchases, ${levels.size} members (enroll lines)`);

const SHANGHAI_MS = 8 * 3600 * 1000;  // Asia/Shanghai has kept UTC+8 since 1991
const dayOfMonth = (time) => new Date(Date.parse(time) + SHANGHAI_MS).getUTCDate();
// Amounts have at most two decimals: cents are exact in a double.
const cents = (amount) => Math.round(amount * 100);
const RATE_TENTHS = { V1: 10, V2: 12, V3: 15, V4: 20 };

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// ---- json-rules-engine ------------------------------------------------------------------------

function makeJre() {
  const engine = new Engine([], { allowUndefinedFacts: false });
  for (const [level, tenths] of Object.entries(RATE_TENTHS)) {
    engine.addRule({
      name: `rate_${level}`,
      conditions: { all: [{ fact: 'level', operator: 'equal', value: level }] },
      event: { type: 'rate', params: { tenths } },
    });
  }
  engine.addRule({
    name: 'member_day',
    conditions: { all: [{ fact: 'day', operator: 'equal', value: 18 }] },
    event: { type: 'double' },
  });
  return engine;
}

async function runJre() {
  const engine = makeJre();
  let total = 0;
  const t0 = process.hrtime.bigint();
  for (const p of purchases) {
    const c = cents(p.data.amount);
    if (c <= 0) continue;
    const { events } = await engine.run({ level: levels.get(p.member), day: dayOfMonth(p.time) });
    let tenths = 0, mult = 1;
    for (const e of events) {
      if (e.type === 'rate') tenths = e.params.tenths;
      else if (e.type === 'double') mult = 2;
    }
    total += Math.floor((c * tenths * mult) / 1000);  // exact: integers below 2^53
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, total };
}

// ---- zen-engine ------------------------------------------------------------------------------

const jdm = {
  contentType: 'application/vnd.gorules.decision',
  nodes: [
    { id: 'in', type: 'inputNode', name: 'purchase', position: { x: 0, y: 0 } },
    {
      id: 'rates', type: 'decisionTableNode', name: 'rate by level, double on the 18th', position: { x: 250, y: 0 },
      content: {
        hitPolicy: 'first',
        passThrough: true,
        inputs: [{ id: 'lv', name: 'Level', field: 'level' }, { id: 'dy', name: 'Day', field: 'day' }],
        outputs: [{ id: 'rt', name: 'Rate', field: 'rate' }, { id: 'mu', name: 'Multiplier', field: 'mult' }],
        rules: Object.entries(RATE_TENTHS).flatMap(([level, tenths], i) => [
          { _id: `r${i}a`, lv: `"${level}"`, dy: '18', rt: String(tenths / 10), mu: '2' },
          { _id: `r${i}b`, lv: `"${level}"`, dy: '', rt: String(tenths / 10), mu: '1' },
        ]),
      },
    },
    {
      id: 'points', type: 'expressionNode', name: 'points', position: { x: 500, y: 0 },
      content: { expressions: [{ id: 'px', key: 'points', value: 'floor(cents * rate * mult / 100)' }] },
    },
    { id: 'out', type: 'outputNode', name: 'points', position: { x: 750, y: 0 } },
  ],
  edges: [
    { id: 'e1', type: 'edge', sourceId: 'in', targetId: 'rates' },
    { id: 'e2', type: 'edge', sourceId: 'rates', targetId: 'points' },
    { id: 'e3', type: 'edge', sourceId: 'points', targetId: 'out' },
  ],
};

async function runZen() {
  const engine = new ZenEngine();
  const decision = engine.createDecision(jdm);
  let total = 0;
  const t0 = process.hrtime.bigint();
  for (const p of purchases) {
    const c = cents(p.data.amount);
    if (c <= 0) continue;
    // Sequential: one evaluation at a time, as one core would (zen runs it off the JS thread).
    const r = await decision.evaluate({ level: levels.get(p.member), day: dayOfMonth(p.time), cents: c });
    total += Number(r.result.points);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  engine.dispose();
  return { seconds, total };
}

// ---- Merit -----------------------------------------------------------------------------------

function runMeritReplay() {
  const out = path.join(os.tmpdir(), `merit-peers-${process.pid}.jsonl`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(meritPath, ['replay', '--rules', rulePath, '--events', eventsPath, '--out', out],
    { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`merit replay failed: ${r.stderr}`);
  let total = 0;
  for (const line of fs.readFileSync(out, 'utf8').split('\n')) {
    if (line) total += JSON.parse(line).points.available;
  }
  fs.unlinkSync(out);
  return { seconds, total };
}

function runMeritBench() {
  const r = spawnSync(benchPath, ['--program', rulePath, '--events-file', eventsPath, '--benchmark_format=json'],
    { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`evaluator_bench failed: ${r.stderr}`);
  const b = JSON.parse(r.stdout).benchmarks[0];
  const m = /merit total points: (\d+)/.exec(r.stderr);
  // items_per_second counts every operation (enroll lines too): the seconds of the whole pass.
  // Wall-clock seconds (as the peers are timed), not items_per_second's CPU seconds.
  return { seconds: (b.real_time * b.iterations) / 1000, total: m ? Number(m[1]) : NaN, ops: b.iterations };
}

// ---- the run ---------------------------------------------------------------------------------

// Every rate is per purchase; Merit's time also covers the enroll lines (conservative for Merit).
const engines = [
  ['merit replay (end to end, parse included)', runMeritReplay, purchases.length],
  ['merit evaluator (pre-decoded, evaluator_bench)', runMeritBench, purchases.length],
  ['json-rules-engine 7.3.1', runJre, purchases.length],
  ['zen-engine 0.54.0 (JDM: table -> expression)', runZen, purchases.length],
];
const results = [];
for (const [name, fn, count] of engines) {
  if (name.startsWith('merit replay') && !fs.existsSync(meritPath)) { console.log(`skip ${name}: no ${meritPath}`); continue; }
  if (name.startsWith('merit evaluator') && !fs.existsSync(benchPath)) { console.log(`skip ${name}: no ${benchPath}`); continue; }
  const rates = [];
  let total;
  for (let i = 0; i < runs; ++i) {
    const r = await fn();
    rates.push(count / r.seconds);
    total = r.total;
    console.log(`  ${name} run ${i + 1}: ${(count / r.seconds).toFixed(0)} events/s (${r.seconds.toFixed(2)} s), total points ${total}`);
  }
  results.push({ name, rate: median(rates), total });
}
console.log('\nmedian events/s, total points:');
for (const r of results) console.log(`  ${r.name.padEnd(50)} ${r.rate.toFixed(0).padStart(10)}  ${r.total}`);
const merit = results.filter((r) => r.name.startsWith('merit'));
const peers = results.filter((r) => !r.name.startsWith('merit'));
console.log('\nratios (Merit ÷ peer):');
for (const m of merit) for (const p of peers) console.log(`  ${m.name} ÷ ${p.name}: ${(m.rate / p.rate).toFixed(1)}×`);
const totals = new Set(results.map((r) => r.total));
console.log(totals.size === 1 ? `\nall engines agree: ${[...totals][0]} points` : '\nTOTALS DIFFER: see above');
process.exit(totals.size === 1 ? 0 : 1);
