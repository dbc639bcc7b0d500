#!/usr/bin/env node
'use strict';
// Talks to WS {url} with the `ws` package: waits for the history, sends a bad frame (expects an
// error frame and the connection to stay open), then a message, collects its streamed deltas (none
// offline: the reply comes whole) and the final message. Prints one JSON line with what it saw; exits 1 on any protocol surprise.
const WebSocket = require('ws');
const url = process.argv[2];
if (!url) { console.error('usage: chat-client.js ws://HOST:PORT/chat/USER'); process.exit(2); }

const seen = { history: null, error: null, deltas: [], message: null, profile: null, pings: 0 };
const ws = new WebSocket(url, { perMessageDeflate: false });
const fail = (why) => { console.log(JSON.stringify({ ok: false, why, seen })); process.exit(1); };
const timer = setTimeout(() => fail('timeout'), 20000);

ws.on('error', (e) => fail('socket error: ' + e.message));
ws.on('close', () => { if (!seen.message) fail('closed early'); });
ws.on('message', (data, isBinary) => {
  if (isBinary) return fail('binary frame from the worker');
  const frame = JSON.parse(data.toString());
  switch (frame.type) {
    case 'ping': seen.pings++; break;
    case 'history':
      seen.history = frame;
      ws.send('{"type":"mystery"}');
      break;
    case 'error':
      seen.error = frame;
      ws.send(JSON.stringify({ type: 'message', client_message_id: 'node-1', text: 'Hi, my name is Lise Meitner' }));
      break;
    case 'delta': seen.deltas.push(frame); break;
    case 'profile': seen.profile = frame; break;
    case 'message':
      if (frame.message.role !== 'assistant') break;
      seen.message = frame.message;
      clearTimeout(timer);
            // the offline interview has its reply whole at once and sends it as the message alone, no deltas
      const ok = seen.history.mode === 'offline' && seen.error.code === 'unknown_type'
        && frame.message.reply_to === 'node-1' && seen.deltas.length === 0 && frame.message.text.length > 0;
      console.log(JSON.stringify({ ok, mode: seen.history.mode, error_code: seen.error.code, deltas: seen.deltas.length,
        text: frame.message.text, profile_name: seen.profile && seen.profile.profile.name,
        profile_source: seen.profile && seen.profile.sources.name }));
      ws.close(1000);
      process.exitCode = ok ? 0 : 1;
      break;
    default: fail('unexpected frame type ' + frame.type);
  }
});
