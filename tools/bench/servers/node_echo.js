// tools/bench/servers/node_echo.js - the yardstick: Node.js's own net echo server.
// MIT licence, see LICENSE.
//
// net.createServer and socket.write(data) on 'data', as Node's docs write it. Control lines on
// stdin as for the MicroPython servers (benchctl.py); "heap" answers V8's heapUsed after a full
// gc (run node with --expose-gc): JavaScript objects only, not libuv's or the kernel's memory,
// so it is reported beside the MicroPython figures, not compared with them.
// Run: node --expose-gc node_echo.js PORT
'use strict';
const net = require('net');
const readline = require('readline');

const port = Number(process.argv[2]);
const server = net.createServer((sock) => {
    sock.setNoDelay(true);
    sock.on('data', (data) => sock.write(data));
    sock.on('error', () => sock.destroy());
});
server.listen({ port, host: '127.0.0.1', backlog: 128 }, () => console.log('PORT ' + port));

readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const cmd = line.trim();
    if (cmd === 'heap') {
        if (global.gc) global.gc();
        console.log('HEAP ' + process.memoryUsage().heapUsed);
    } else if (cmd === 'quit') {
        process.exit(0);
    } else {
        console.log('UNKNOWN ' + cmd);
    }
}).on('close', () => process.exit(0));
