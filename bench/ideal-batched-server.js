#!/usr/bin/env node
'use strict';
// The least a log server can do for batched JSON posts, to find the floor of BatchedLogBench on this
// machine: POST /log (a JSON array of records) -> one SSE frame per record, with its message, to every
// GET /stream subscriber, then 202; no storage, no validation. What BatchedLogBench reports against it
// is the client's and the machine's own ceiling, not a server's.
//   node bench/ideal-batched-server.js [PORT]       (default 8198), then
//   java -cp worker/target/test-classes dev.labdesk.worker.bench.BatchedLogBench http://127.0.0.1:8198 s t 200000 500
const http = require('http');
const port = Number(process.argv[2] || 8198);
const subscribers = new Set();
let seq = 0;
http.createServer((req, res) => {
  if (req.method === 'GET' && req.url.startsWith('/stream')) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.write(': open\n\n');
    subscribers.add(res);
    req.on('close', () => subscribers.delete(res));
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const records = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    let frames = '';
    for (const r of records) {
      seq++;
      frames += `id: ${seq}\nevent: log\ndata: ${JSON.stringify({ type: 'log', seq, level: r.level, logger: r.logger, message: r.message })}\n\n`;
    }
    for (const s of subscribers) s.write(frames);
    const body = JSON.stringify({ accepted: records.length });
    res.writeHead(202, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(port, '127.0.0.1');
