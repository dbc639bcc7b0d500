// A stock EventSource (the npm eventsource package) reading a finished session's events, as a
// browser app would: `onerror` closes it when the mode is "close-on-error", otherwise nothing does.
// Prints one JSON line: what arrived, in order, and the final readyState. Run by StockEventSourceTest.
const { EventSource } = require('eventsource');

const [url, mode, waitMs] = [process.argv[2], process.argv[3], Number(process.argv[4] || 7000)];
const seen = [];
let opens = 0;
const es = new EventSource(url);
es.onopen = () => { opens++; seen.push('open'); };
for (const name of ['status', 'log', 'agent_error', 'end']) {
  es.addEventListener(name, (e) => seen.push(name === 'end' ? 'end' : `${name}:${e.lastEventId}`));
}
es.onerror = () => {
  seen.push(`onerror(readyState=${es.readyState})`);
  if (mode === 'close-on-error') es.close();
};
setTimeout(() => {
  console.log(JSON.stringify({ seen, opens, readyState: es.readyState }));
  es.close();
  process.exit(0);
}, waitMs);
