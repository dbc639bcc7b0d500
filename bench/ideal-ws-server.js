#!/usr/bin/env node
'use strict';
// The least a chat server can do, to find the floor of the peers' load/ws-echo.js on this machine:
// one Node process with the `ws` module answering each message frame at once with one reply frame
// that names its client_message_id. Run from a folder where `ws` is installed (the peers' load folder):
//   node ideal-ws-server.js [PORT]          (default 8198)
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2] || 8198);
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.send(JSON.stringify({ type: 'history', messages: [] }));
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    ws.send(JSON.stringify({ type: 'message', message: { id: 'm', role: 'assistant', text: 'Thanks. What is your role?', reply_to: m.client_message_id } }));
  });
});
