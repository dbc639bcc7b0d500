#!/usr/bin/env node
'use strict';
// The least a log server can do, to find the floor of the peers' load/sse-latency.js on this machine:
// POST /log (an HTTPHandler form post) -> one SSE data line with its msg to every GET /stream
// subscriber, at once; no storage, no ids, no validation. Whatever p99 sse-latency.js reports against
// it is the client's and the machine's own, not a server's.
//   node bench/ideal-sse-server.js [PORT]          (default 8199), then in the peers' load folder:
//   node sse-latency.js --base http://127.0.0.1:8199 --records 10000 --rate 1000 --concurrency 4
const http = require('http');
const port = Number(process.argv[2] || 8199);
const subscribers = new Set();
http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stream') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.write(': open\n\n');
    subscribers.add(res);
    req.on('close', () => subscribers.delete(res));
    return;
  }
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const line = 'data: ' + JSON.stringify({ message: new URLSearchParams(body).get('msg') }) + '\n\n';
    for (const s of subscribers) s.write(line);
    res.writeHead(200, { 'Content-Length': 0 });
    res.end();
  });
}).listen(port, '127.0.0.1');
