'use strict';
// The engine worker in Node (worker_threads): the engine service on the
// parent port, with UDP host sockets and TURN streams (engine-service.cjs).
const { parentPort } = require('worker_threads');
const { load } = require('../../js/core/module.cjs');
const { createEngineService } = require('./engine-service.cjs');
const { openPeerTransports } = require('./transports.cjs');

const onMessage = createEngineService(load(), (msg, transfer) => parentPort.postMessage(msg, transfer),
  openPeerTransports);
parentPort.on('message', onMessage);
